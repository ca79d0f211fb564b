"""Join a run's findings with the hand judgements: precision at medium or above, findings per 1,000 lines.

    python benchmarks/real_apps/score.py before after
    python benchmarks/real_apps/score.py --per-app after     # per app, Bastion beside Bandit, held-out apps apart

judgements.csv holds one verdict per (app, path, line, rule): true (a flaw a reviewer would fix), false (the
code is safe as written) or noise (real code, but not worth a reviewer's time: vendored libraries, test
harnesses, hardening advice on examples, messages meant for the user). Precision is true / judged; a finding
without a verdict is counted as unjudged, never as true.
"""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE.parents[1] / "benchmarks" / ".work" / "real_apps" / "results"
MEDIUM_OR_ABOVE = {"medium", "high", "critical"}


def judgements() -> dict[tuple[str, str, int, str], tuple[str, str]]:
    with (HERE / "judgements.csv").open() as handle:
        return {(r["app"], r["path"], int(r["line"]), r["rule"]): (r["verdict"], r["reason"]) for r in csv.DictReader(handle)}


def score(label: str, verdicts: dict) -> dict:
    rows = [json.loads(line) for line in (RESULTS / label / "bastion.jsonl").open()]
    summary = json.loads((RESULTS / label / "summary.json").read_text())
    loc = {s["app"]: s["loc"] for s in summary if s["tool"] == "bastion"}
    shown = [r for r in rows if r["severity"] in MEDIUM_OR_ABOVE]
    counts: Counter = Counter()
    by_app: dict[str, Counter] = defaultdict(Counter)
    by_rule: dict[str, Counter] = defaultdict(Counter)
    for row in shown:
        verdict = verdicts.get((row["app"], row["path"], row["line"], row["rule"]), ("unjudged", ""))[0]
        counts[verdict] += 1
        by_app[row["app"]][verdict] += 1
        by_rule[row["rule"]][verdict] += 1
    judged = counts["true"] + counts["false"] + counts["noise"]
    return {"label": label, "findings": len(rows), "medium_or_above": len(shown), "verdicts": dict(counts),
            "precision": counts["true"] / judged if judged else 0.0, "loc": sum(loc.values()),
            "per_kloc": len(shown) * 1000 / max(sum(loc.values()), 1), "by_app": by_app, "by_rule": by_rule,
            "peers": {s["tool"]: s for s in summary if s["tool"] != "bastion"}, "summary": summary}


def peer_precision() -> dict[str, Counter]:
    """Verdicts on the peers' findings (peer_judgements.csv): every Bandit finding at medium or above, and a
    seeded random sample of eslint-plugin-security's (too many to judge one by one)."""
    counts: dict[str, Counter] = defaultdict(Counter)
    path = HERE / "peer_judgements.csv"
    if path.exists():
        with path.open() as handle:
            for row in csv.DictReader(handle):
                counts[row["tool"]][row["verdict"]] += 1
    return counts


def peer_verdicts() -> dict[tuple[str, str, str, int, str], str]:
    """peer_judgements.csv keyed like a finding: (tool, app, path, line, rule) -> verdict."""
    path = HERE / "peer_judgements.csv"
    if not path.exists():
        return {}
    with path.open() as handle:
        return {(r["tool"], r["app"], r["path"], int(r["line"]), r["rule"]): r["verdict"] for r in csv.DictReader(handle)}


def held_out_apps() -> set[str]:
    """Apps fetch.py pinned as held out (frozen before a change, scanned only to measure it)."""
    manifest = RESULTS.parent / "manifest.json"
    return {name for name, entry in json.loads(manifest.read_text()).items() if entry.get("held_out")} if manifest.exists() else set()


def per_app_table(label: str, verdicts: dict) -> None:
    """Per Python app: Bastion's and Bandit's findings at medium or above in this run, judged, and per 1,000 lines;
    then the tuning apps and the held-out apps (fetch.py) as two totals."""
    result = score(label, verdicts)
    bandit_path = RESULTS / label / "bandit.jsonl"
    bandit_rows = [json.loads(line) for line in bandit_path.open()] if bandit_path.exists() else []
    judged_peers = peer_verdicts()
    held = held_out_apps()
    loc = {s["app"]: s["loc"] for s in result["summary"] if s["tool"] == "bastion"}
    bandit: dict[str, Counter] = defaultdict(Counter)
    for row in bandit_rows:
        if row["severity"] in MEDIUM_OR_ABOVE:
            bandit[row["app"]][judged_peers.get(("bandit", row["app"], row["path"], row["line"], row["rule"]), "unjudged")] += 1
    totals: dict[str, list[Counter]] = defaultdict(lambda: [Counter(), Counter(), Counter()])
    print(f"== {label} per app (medium or above: Bastion | Bandit)")
    for app in sorted(loc):
        ours, theirs = result["by_app"].get(app, Counter()), bandit.get(app, Counter())
        group = "held-out" if app in held else "tuning"
        totals[group][0].update(ours)
        totals[group][1].update(theirs)
        totals[group][2]["loc"] += loc.get(app, 0)
        print(f"   {app:20} {group:8} {_cell(ours, loc.get(app, 0))} | {_cell(theirs, loc.get(app, 0))}")
    for group, (ours, theirs, lines) in sorted(totals.items()):
        print(f"   {'total':20} {group:8} {_cell(ours, lines['loc'])} | {_cell(theirs, lines['loc'])}")


def _cell(counter: Counter, loc: int) -> str:
    total = sum(counter.values())
    judged = total - counter["unjudged"]
    precision = f"{counter['true'] / judged:.0%}" if judged else "-"
    return (f"{total:3} ({total * 1000 / max(loc, 1):.2f}/kLOC) true {counter['true']:2} false {counter['false']:2} "
            f"noise {counter['noise']:2} unjudged {counter['unjudged']:2} precision {precision:>4}")


def main(labels: list[str]) -> int:
    verdicts = judgements()
    if labels and labels[0] == "--per-app":
        for label in labels[1:]:
            per_app_table(label, verdicts)
        return 0
    for label in labels:
        result = score(label, verdicts)
        v = result["verdicts"]
        print(f"== {label}: {result['medium_or_above']} findings at medium or above ({result['findings']} in all), "
              f"{result['per_kloc']:.2f} per 1,000 lines of {result['loc']}; true {v.get('true', 0)}, false "
              f"{v.get('false', 0)}, noise {v.get('noise', 0)}, unjudged {v.get('unjudged', 0)}; "
              f"precision {result['precision']:.0%}")
        for app, counter in sorted(result["by_app"].items()):
            total = sum(counter.values())
            judged = total - counter["unjudged"]
            print(f"   {app:22} {total:4}  true {counter['true']:3}  false {counter['false']:3}  noise {counter['noise']:3}"
                  f"  precision {counter['true'] / judged if judged else 0:.0%}")
        peers: Counter = Counter()
        peer_loc: Counter = Counter()
        for entry in result["summary"]:
            if entry["tool"] != "bastion":
                peers[entry["tool"]] += entry["medium_or_above"]
                peer_loc[entry["tool"]] += entry["loc"]
        judged_peers = peer_precision()
        for tool, count in sorted(peers.items()):
            peer_verdicts = judged_peers.get(tool, Counter())
            judged = sum(peer_verdicts.values())
            print(f"   peer {tool}: {count} findings at medium or above on the same apps "
                  f"({count * 1000 / max(peer_loc[tool], 1):.2f} per 1,000 lines of its language); judged {judged}: "
                  f"true {peer_verdicts['true']}, false {peer_verdicts['false']}, noise {peer_verdicts['noise']}, "
                  f"precision {peer_verdicts['true'] / judged if judged else 0:.0%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:] or ["before", "after"]))
