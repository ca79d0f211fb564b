"""Bastion's Python engine next to Bandit, on the labelled fixtures and on real PyPI packages, in the same run.

    .venv/bin/python benchmarks/python_sast/run.py            # prepare (first time) and measure
    .venv/bin/python benchmarks/python_sast/run.py --quick    # fewer packages

Prepares, under benchmarks/.work/python_sast/ (gitignored): a venv with
Bandit from PyPI, wheels of popular packages downloaded with pip and
unpacked as the corpus. Then prints:

(a) the seed articles' Python examples: found / fixed twin clean;
(b) precision and recall of both tools on tests/fixtures/python (each
    finding on a ``# ruleid:`` line of its rule is a true positive, on an
    ``# ok:`` line of its rule a false alarm), findings per rule on the
    corpus, files each tool could not parse, wall time as a ratio;
(c) crashes and per-file timeouts of Bastion on every corpus file.

Bastion runs in one process (Bandit has no parallel mode) so the ratio
compares like with like.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import signal
import subprocess
import sys
import time
import venv
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / "benchmarks" / ".work" / "python_sast"
FIXTURES = ROOT / "tests" / "fixtures" / "python"
PACKAGES = ["django", "flask", "werkzeug", "jinja2", "requests", "sqlalchemy", "click", "urllib3", "botocore", "pip", "setuptools", "celery"]
QUICK = ["django", "flask", "requests", "sqlalchemy", "jinja2", "werkzeug"]
FILE_TIMEOUT = 30

#: Bandit test id -> the Bastion rule it corresponds to (for scoring Bandit on our labels).
BANDIT_TO_RULE = {
    "B102": "code-injection", "B307": "code-injection", "B301": "unsafe-deserialization", "B302": "unsafe-deserialization",
    "B403": "unsafe-deserialization", "B506": "unsafe-deserialization", "B614": "unsafe-deserialization",
    "B303": "weak-hash", "B324": "weak-hash", "B602": "command-injection", "B605": "command-injection",
    "B604": "command-injection", "B609": "command-injection", "B601": "command-injection", "B603": "command-injection",
    "B607": "command-injection", "B404": "command-injection", "B608": "sql-injection", "B610": "sql-injection",
    "B611": "sql-injection", "B501": "tls-verification-disabled", "B323": "tls-verification-disabled",
    "B502": "weak-tls-version", "B503": "weak-tls-version", "B504": "weak-tls-version", "B104": "bind-all-interfaces",
    "B201": "debug-mode-enabled", "B108": "insecure-temp-file", "B306": "insecure-temp-file",
    "B103": "permissive-file-permissions", "B311": "insecure-random", "B113": "missing-timeout",
    "B701": "template-autoescape-disabled", "B702": "template-injection", "B703": "xss", "B308": "xss",
    "B320": "xxe", "B410": "xxe", "B313": "xxe", "B314": "xxe", "B318": "xxe", "B321": "cleartext-protocol",
    "B312": "cleartext-protocol", "B401": "cleartext-protocol", "B402": "cleartext-protocol",
    "B304": "weak-cipher", "B305": "ecb-mode", "B413": "weak-cipher", "B505": "weak-key-size",
    "B507": "ssh-host-key-unverified", "B202": "archive-path-traversal", "B101": "assert-for-authorization",
    "B105": "hardcoded-framework-secret", "B106": "hardcoded-framework-secret", "B310": "ssrf",
}  # fmt: skip
_ANNOTATION = re.compile(r"#\s*(ruleid|ok):\s*([a-z0-9-]+)")


def log(*parts: object) -> None:
    print(*parts, flush=True)


# ------------------------------------------------------------------ prepare


def prepare(packages: list[str]) -> tuple[Path, Path]:
    """A venv with Bandit and an unpacked corpus of wheels; both reused on later runs."""
    env = WORK / "venv"
    bandit = env / "bin" / "bandit"
    if not bandit.exists():
        log("creating venv with bandit ...")
        venv.create(env, with_pip=True)
        subprocess.run([str(env / "bin" / "pip"), "install", "-q", "bandit"], check=True)
    wheels = WORK / "wheels"
    corpus = WORK / "corpus"
    wheels.mkdir(parents=True, exist_ok=True)
    missing = [p for p in packages if not any(w.name.lower().startswith(p.lower().replace("-", "_") + "-") for w in wheels.glob("*.whl"))]
    if missing:
        log("downloading wheels:", " ".join(missing))
        subprocess.run(
            [str(env / "bin" / "pip"), "download", "-q", "--no-deps", "--only-binary=:all:", "-d", str(wheels), *missing],
            check=True,
        )
    for wheel in sorted(wheels.glob("*.whl")):
        if not any(wheel.name.lower().startswith(p.lower() + "-") for p in packages):
            continue
        target = corpus / wheel.stem
        if not target.exists():
            with zipfile.ZipFile(wheel) as archive:
                members = [m for m in archive.namelist() if m.endswith(".py") and not m.startswith(("/", "..")) and ".." not in m]
                archive.extractall(target, members=members)
    return bandit, corpus


# ------------------------------------------------------------------- labels


def labels(path: Path) -> dict[tuple[int, str], str]:
    """(line, rule) -> "ruleid" | "ok" for one fixture file."""
    out: dict[tuple[int, str], str] = {}
    pending: list[tuple[str, str]] = []
    for number, line in enumerate(path.read_text().splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("#"):
            match = _ANNOTATION.search(stripped)
            if match:
                pending.append((match.group(1), match.group(2)))
            continue
        if stripped:
            for kind, rule in pending:
                out[(number, rule)] = kind
            pending = []
    return out


def score(found: dict[str, set[tuple[int, str]]]) -> dict[str, int]:
    """True positives, false alarms and misses of one tool's (line, rule) findings per fixture file."""
    tp = fp = fn = 0
    for path in sorted(FIXTURES.glob("*.py")):
        truth = labels(path)
        hits = found.get(path.name, set())
        for key, kind in truth.items():
            if kind == "ruleid":
                tp += key in hits
                fn += key not in hits
            elif key in hits:
                fp += 1
    return {"tp": tp, "fp": fp, "fn": fn}


def ratio(num: float, den: float) -> str:
    return f"{num / den:.2f}" if den else "n/a"


# ------------------------------------------------------------------ bastion


def bastion_scan(files: list[Path], root: Path) -> tuple[collections.Counter, float, list[str], list[str], dict[str, set]]:
    sys.path.insert(0, str(ROOT / "src"))
    from bastion.core.engine_api import FileContext, SourceFile
    from bastion.core.model import Finding
    from bastion.sast.python.engine import PythonEngine

    engine = PythonEngine()
    counts: collections.Counter = collections.Counter()
    crashes: list[str] = []
    timeouts: list[str] = []
    by_file: dict[str, set] = collections.defaultdict(set)

    def alarm(*_: object) -> None:
        raise TimeoutError

    signal.signal(signal.SIGALRM, alarm)
    started = time.perf_counter()
    for path in files:
        rel = str(path.relative_to(root))
        source = SourceFile(path=rel, abspath=str(path), language="python", data=path.read_bytes())
        signal.alarm(FILE_TIMEOUT)
        try:
            for result in engine.check_file(FileContext(source, {})):
                if isinstance(result, Finding):
                    counts[(result.rule_id, result.confidence.value)] += 1
                    by_file[path.name].add((result.location.line, result.rule_id))
        except TimeoutError:
            timeouts.append(rel)
        except Exception as exc:  # noqa: BLE001 - the benchmark counts crashes, it does not hide them
            crashes.append(f"{rel}: {type(exc).__name__}: {exc}")
        finally:
            signal.alarm(0)
    return counts, time.perf_counter() - started, crashes, timeouts, by_file


def bandit_scan(bandit: Path, target: Path) -> tuple[collections.Counter, float, int, dict[str, set]]:
    started = time.perf_counter()
    proc = subprocess.run([str(bandit), "-r", str(target), "-f", "json", "-q"], capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    data = json.loads(proc.stdout or "{}")
    counts: collections.Counter = collections.Counter()
    by_file: dict[str, set] = collections.defaultdict(set)
    for result in data.get("results", []):
        counts[result["test_id"]] += 1
        rule = BANDIT_TO_RULE.get(result["test_id"])
        if rule:
            by_file[Path(result["filename"]).name].add((result["line_number"], rule))
    return counts, elapsed, len(data.get("errors", [])), by_file


MODERN_TAIL = 'LABEL = f"{"modern" + f\'{1}\'}"  # Python 3.12 f-string\n'


def modern_copy() -> Path:
    """The fixtures with one line of Python 3.12 syntax appended: what a 3.11-based parser makes of them."""
    target = WORK / "modern"
    target.mkdir(parents=True, exist_ok=True)
    for path in FIXTURES.glob("*.py"):
        (target / path.name).write_text(path.read_text() + "\n" + MODERN_TAIL)
    return target


def seeds() -> tuple[int, int]:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "src"))
    from tests.sast.conftest import scan_source
    from tests.sast.test_seeds import PAIRS

    ok = 0
    for rule, vulnerable, fixed in PAIRS.values():
        found = rule in {f.rule_id for f in scan_source(vulnerable)}
        clean = not [f for f in scan_source(fixed) if f.severity.rank >= 2]
        ok += found and clean
    return ok, len(PAIRS)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a smaller corpus")
    args = parser.parse_args()
    packages = QUICK if args.quick else PACKAGES
    bandit, corpus = prepare(packages)

    passed, total = seeds()
    log(f"(a) seed examples: {passed}/{total} vulnerable found with fixed twin clean")

    fixture_files = sorted(FIXTURES.glob("*.py"))
    _, _, _, _, ours = bastion_scan(fixture_files, FIXTURES)
    _, _, _, theirs = bandit_scan(bandit, FIXTURES)
    for name, found in (("bastion", ours), ("bandit", theirs)):
        s = score(found)
        precision = s["tp"] / (s["tp"] + s["fp"]) if s["tp"] + s["fp"] else 0.0
        recall = s["tp"] / (s["tp"] + s["fn"]) if s["tp"] + s["fn"] else 0.0
        log(f"(b) fixtures {name:8s} TP {s['tp']:4d}  FP {s['fp']:4d}  FN {s['fn']:4d}  precision {precision:.3f}  recall {recall:.3f}")

    modern = modern_copy()
    modern_files = sorted(modern.glob("*.py"))
    _, _, _, _, ours_modern = bastion_scan(modern_files, modern)
    _, _, modern_errors, theirs_modern = bandit_scan(bandit, modern)
    log(
        f"(b) fixtures + one 3.12 f-string line: bandit could not parse {modern_errors}/{len(modern_files)} files "
        f"(TP {score(theirs_modern)['tp']}), bastion TP {score(ours_modern)['tp']} (unchanged)"
    )

    files = sorted(p for p in corpus.rglob("*.py") if p.is_file())
    lines = sum(p.read_bytes().count(b"\n") for p in files)
    log(f"corpus: {len(files)} files, {lines:,} lines ({', '.join(sorted(d.name for d in corpus.iterdir()))})")
    counts, ours_time, crashes, timeouts, _ = bastion_scan(files, corpus)
    bandit_counts, bandit_time, bandit_errors, _ = bandit_scan(bandit, corpus)
    log(f"(b) wall time, one process each: bastion {ours_time:.1f}s  bandit {bandit_time:.1f}s  bandit/bastion = {ratio(bandit_time, ours_time)}")
    log(f"(b) files bandit could not parse: {bandit_errors}; bastion parses every file (tree-sitter)")
    log(f"(c) bastion crashes: {len(crashes)}  timeouts (> {FILE_TIMEOUT}s): {len(timeouts)}")
    for line in crashes[:10] + timeouts[:10]:
        log("    ", line)
    log(f"bastion findings per rule on the corpus ({sum(counts.values())} in all):")
    for (rule, confidence), count in counts.most_common():
        log(f"    {count:6d}  {rule} [{confidence}]")
    log(f"bandit findings per test on the corpus ({sum(bandit_counts.values())} in all):")
    for test, count in bandit_counts.most_common():
        log(f"    {count:6d}  {test} ({BANDIT_TO_RULE.get(test, '-')})")
    return 1 if crashes or timeouts else 0


if __name__ == "__main__":
    raise SystemExit(main())
