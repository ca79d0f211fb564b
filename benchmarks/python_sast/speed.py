"""Python SAST speed side by side in one run: Bastion, Bandit and the stdlib parser on the same files.

    .venv/bin/python benchmarks/python_sast/speed.py [--rounds 3] [--jobs 2] [--base /tmp/base/src] [--no-parts]

Inputs (all from benchmarks/corpus.py, fetched once into benchmarks/.work/):

- the wheel corpus (Django, Flask, Werkzeug, Jinja2, requests, click, SQLAlchemy, urllib3);
- one large single-package codebase: Django alone;
- halves and quarters of each, made of whole packages (benchmarks/partition.py), to see whether cost is
  linear: each part's CPU time against its share of the lines.

Tools, every one under ``nice -n 10`` (benchmarks/measure.py), in paired rounds:

- ``bastion``: ``bastion scan --engine python --no-cache -j JOBS`` (the cross-module project pass included);
- ``bandit``: ``bandit -r`` (one process: Bandit has no parallel mode), from a venv of its own under
  benchmarks/.work/tools (made with pip on first use);
- ``ast.parse``: the stdlib parser reading and parsing every ``.py`` file once in one process: the floor
  any Python analysis that parses pays;
- ``bastion-base`` (with ``--base``): an older checkout's ``src`` on the same files, for before/after.

Prints Markdown tables (medians of the rounds; ratios are medians of per-round ratios) and writes
benchmarks/.work/speed/python.json. No timing is asserted anywhere: these are measurements.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
import corpus  # noqa: E402
import measure  # noqa: E402

WORK = ROOT / "benchmarks" / ".work" / "speed"
TOOLS = ROOT / "benchmarks" / ".work" / "tools"

#: Reads and parses every .py file under argv[1] in this one process.
_PARSE = r"""
import ast, pathlib, sys, warnings
warnings.simplefilter("ignore")
bad = 0
for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.py")):
    try:
        ast.parse(path.read_bytes(), str(path))
    except (SyntaxError, ValueError):
        bad += 1
print(bad)
"""


def bandit_path() -> Path:
    bandit = TOOLS / "bin" / "bandit"
    if not bandit.exists():
        venv.create(TOOLS, with_pip=True)
        subprocess.run([str(TOOLS / "bin" / "pip"), "install", "-q", "bandit==1.9.4"], check=True)
    return bandit


def tools(jobs: int, base: Path | None) -> list[measure.Tool]:
    bandit = str(bandit_path())

    def bastion(src: Path):
        env = {"PYTHONPATH": str(src), "XDG_CACHE_HOME": str(WORK / "xdg-cache"), "BASTION_CACHE_DIR": ""}
        return lambda target, out: [sys.executable, "-m", "bastion", "scan", str(target), "--engine", "python",
                                    "--no-cache", "-j", str(jobs), "--no-progress", "--fail-on", "never",
                                    "-q", "-f", "json", "-o", str(out)], env

    now_command, now_env = bastion(ROOT / "src")
    out = [measure.Tool("bastion", now_command, env=now_env),
           measure.Tool("bandit", lambda target, out: [bandit, "-r", str(target), "-q", "-f", "json", "-o", str(out)],
                        ok=(0, 1)),
           measure.Tool("ast.parse", lambda target, out: [sys.executable, "-c", _PARSE, str(target)])]
    if base is not None:
        base_command, base_env = bastion(base)
        out.append(measure.Tool("bastion-base", base_command, env=base_env))
    return out


def findings(tool: str, output: Path) -> int | None:
    try:
        data = json.loads(output.read_text())
    except (OSError, ValueError):
        return None
    return len(data.get("results" if tool == "bandit" else "findings", []))


def digest(root: Path) -> str:
    """sha256 over every .py file's relative path and bytes: which corpus the numbers are about."""
    hasher = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        hasher.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return hasher.hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--base", type=Path, help="src folder of an older checkout, measured as bastion-base")
    parser.add_argument("--no-parts", action="store_true", help="only the whole inputs, no halves and quarters")
    parser.add_argument("--only", choices=["corpus", "django"], help="one input only")
    args = parser.parse_args()
    wheels = corpus.python_corpus()
    inputs = {"corpus": wheels, "django": wheels / "Django"}
    all_tools = tools(args.jobs, args.base)
    print(f"# Python SAST speed, {measure.when()}: {args.rounds} paired rounds, bastion -j {args.jobs}, "
          f"all tools at nice {measure.NICE}")
    print(f"wheel corpus sha256 {digest(wheels)}")
    results = []
    for name, target in inputs.items():
        if args.only and args.only != name:
            continue
        files = sorted(target.rglob("*.py"))
        whole = measure.measure_input(name, target, measure.count_lines(files), all_tools, args.rounds, WORK, findings)
        results.append(whole)
        if not args.no_parts:
            results.extend(measure.halves_and_quarters(name, target, whole, all_tools, args.rounds, WORK, findings,
                                                       (".py",)))
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / "python.json").write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
