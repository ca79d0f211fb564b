"""How well hardened prompts fit their task, on the frozen request set of issue 19.

Usage: python benchmarks/prompt/fit.py [--set NAME|DIR | --tasks FILE] [--src PATH] [--json FILE] [--show N]
                                       [--aggregate-only] [--check-digest]

``--set`` picks a frozen set: the name of a folder beside this script (``requests``: 317, the development set
of issue 19; ``heldout``: 151, frozen before the third round and a development set since the fourth;
``heldout3``: frozen before the fourth round's final measurement, a development set since the fifth;
``heldout4``: 320 requests frozen by another writer during the fifth round, run only with ``--aggregate-only``)
or a path to any folder of the same shape:
``*.yaml`` files of ``[language, task, [themes]]`` rows and a ``digest.txt`` pinning each file's SHA-256.
``--aggregate-only`` prints the aggregate lines and nothing per request, for a held-out set that must stay unread.

``--src`` imports Bastion from another checkout's ``src`` folder, so the same script scores the engine
before and after a change in one run (``git worktree add /tmp/before <rev>`` then ``--src /tmp/before/src``).

Reported, over ``requests/*.yaml``:
- theme recall: labelled themes the prompt names, micro-averaged, overall, per theme and per language;
- off-task prompts: the share of prompts naming at least one theme the request does not invite;
- words: median and 90th percentile of the rendered text prompt;
- foreign snippets: prompts carrying a code example in a language the request does not use.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import json
import statistics
import sys
from collections import Counter
from pathlib import Path

import yaml

HERE = Path(__file__).parent
# Words by which a request names its own language; snippets are judged only where the request names one,
# since a request that names none can fairly get examples in several languages.
NAMES_LANGUAGE = re.compile(
    r"\b(python|flask|django|fastapi|pandas|pytest|celery|jinja2?|pip|node(\.js)?|express|react|next\.js|nestjs|"
    r"typescript|javascript|npm|vue|angular|koa|fastify|electron|java|spring|maven|jdbc|go|gin|echo|goroutines?|"
    r"c\+\+|c)\b", re.IGNORECASE)
# The fence languages that count as the request's own.
OWN_FENCES = {
    "python": {"python", "py"},
    "javascript": {"javascript", "js", "typescript", "ts", "jsx", "tsx"},
    "typescript": {"javascript", "js", "typescript", "ts", "jsx", "tsx"},
}


def set_folder(name: str) -> Path:
    """The folder of a request set: a name beside this script or a path."""
    folder = HERE / name if (HERE / name).is_dir() and "/" not in name else Path(name)
    if not (folder / "digest.txt").is_file():
        raise SystemExit(f"{name}: not a frozen request set (no digest.txt in {folder})")
    return folder


def set_files(folder: Path) -> list[str]:
    """The request files a set's digest pins, in its order: only frozen files are scored."""
    return [line.split()[1] for line in (folder / "digest.txt").read_text().splitlines() if line.strip()]


def check_digest(folder: Path) -> None:
    for line in (folder / "digest.txt").read_text().splitlines():
        if not line.strip():
            continue
        digest, name = line.split()
        actual = hashlib.sha256((folder / name).read_bytes()).hexdigest()
        if actual != digest:
            raise SystemExit(f"{name} changed since it was frozen: {actual} != {digest}")


def load_requests(folder: Path) -> list[tuple[str, str, set[str]]]:
    rows = []
    for name in set_files(folder):
        for language, task, themes in yaml.safe_load((folder / name).read_text("utf-8")):
            rows.append((language, task, set(themes)))
    return rows


def load_development_file(path: Path) -> list[tuple[str, str, set[str]]]:
    """The rows of one development file beside ``score.py`` (``dev3.yaml``...): ``[language, task, themes]`` or
    ``[task, themes]`` (no language named: ``none``). Development files are not frozen, so no digest."""
    rows = []
    for row in yaml.safe_load(path.read_text("utf-8")):
        language, task, themes = row if len(row) == 3 else ("none", *row)
        rows.append((language, task, set(themes)))
    return rows


def percentile(values: list[int], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def evaluate(rows, harden_prompt) -> dict:
    hits, labelled = Counter(), Counter()
    hits_by_language, labelled_by_language = Counter(), Counter()
    off_task, foreign, words, examples = [], [], [], []
    for language, task, labels in rows:
        prompt = harden_prompt(task)
        named = set(prompt.theme_ids)
        text = prompt.render("text")
        words.append(len(text.split()))
        for theme in labels:
            labelled[theme] += 1
            labelled_by_language[language] += 1
            if theme in named:
                hits[theme] += 1
                hits_by_language[language] += 1
        extra = named - labels
        if extra:
            off_task.append({"task": task, "extra": sorted(extra)})
        fences = {p.fence for s in prompt.sections for p in s.patterns}
        wrong = fences - OWN_FENCES.get(language, set())
        if wrong and (language not in OWN_FENCES or NAMES_LANGUAGE.search(task)):
            foreign.append({"task": task, "language": language, "snippets": sorted(wrong)})
        missed = labels - named
        if missed:
            examples.append({"task": task, "missed": sorted(missed), "named": sorted(named)})
    total_labelled = sum(labelled.values())
    return {
        "requests": len(rows),
        "theme_recall": sum(hits.values()) / total_labelled,
        "recall_per_theme": {t: {"recall": hits[t] / n, "support": n} for t, n in sorted(labelled.items())},
        "recall_per_language": {lang: hits_by_language[lang] / n for lang, n in sorted(labelled_by_language.items())},
        "labelled_requests_with_no_theme_named": sum(1 for item in examples if not item["named"]),
        "off_task_share": len(off_task) / len(rows),
        "foreign_snippet_share": len(foreign) / len(rows),
        "words_median": statistics.median(words),
        "words_p90": percentile(words, 0.9),
        "words_max": max(words),
        "off_task": off_task,
        "foreign_snippets": foreign,
        "misses": examples,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="requests", help="the frozen set: a folder name beside this script or a path")
    parser.add_argument("--src", help="import bastion from this src folder (another checkout)")
    parser.add_argument("--json", help="write the full result here")
    parser.add_argument("--show", type=int, default=15, help="examples of each kind of error to print")
    parser.add_argument("--aggregate-only", action="store_true",
                        help="print aggregates only, never a request (for a held-out set)")
    parser.add_argument("--check-digest", action="store_true", help="fail if the frozen set changed")
    parser.add_argument("--tasks", help="score one development file instead of a frozen set (dev3.yaml...)")
    args = parser.parse_args()
    if args.tasks:
        rows = load_development_file(Path(args.tasks))
    else:
        folder = set_folder(args.set)
        check_digest(folder)
    if args.check_digest:
        return 0
    if args.src:
        sys.path.insert(0, str(Path(args.src).resolve()))
    from bastion.prompt import harden_prompt

    result = evaluate(rows if args.tasks else load_requests(folder), harden_prompt)
    print(f"requests {result['requests']}  theme recall {result['theme_recall']:.3f}  "
          f"off-task prompts {result['off_task_share']:.1%}  foreign snippets {result['foreign_snippet_share']:.1%}  "
          f"words median {result['words_median']:.0f}  p90 {result['words_p90']:.0f}  max {result['words_max']}")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1) + "\n")
    if args.aggregate_only:
        return 0
    print("recall per language:", {k: round(v, 3) for k, v in result["recall_per_language"].items()})
    print("| theme | recall | support |\n|---|---|---|")
    for theme, row in result["recall_per_theme"].items():
        print(f"| {theme} | {row['recall']:.2f} | {row['support']} |")
    for key in ("misses", "off_task", "foreign_snippets"):
        print(f"\n{key} ({len(result[key])}):")
        for item in result[key][:args.show]:
            print("  ", json.dumps(item))
    return 0


if __name__ == "__main__":
    sys.exit(main())
