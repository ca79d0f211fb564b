"""Python SAST speed side by side in one run: Bastion, Bandit and the stdlib parser on the same files.

    .venv/bin/python benchmarks/python_sast/speed.py [--rounds 3] [--jobs 2] [--base /tmp/base/src] [--no-parts]
        [--also main=/tmp/main/src] [--installed compiled=.venv-compiled/bin/python]

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
- ``bastion-base`` (with ``--base``): an older checkout's ``src`` on the same files, for before/after;
- ``bastion-NAME`` (with ``--installed NAME=PYTHON``): the bastion installed in another interpreter, such as the
  mypyc-compiled build of ``make compiled`` beside the pure Python of ``src`` (same commit: paired).

Prints Markdown tables (medians of the rounds; ratios are medians of per-round ratios) and writes
benchmarks/.work/speed/python.json. No timing is asserted anywhere: these are measurements.
"""

from __future__ import annotations

import hashlib
import json
import shutil
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


def tools(jobs: int, src: Path, base: Path | None, also: list[str] = (), installed: list[str] = ()) -> list[measure.Tool]:
    bandit = str(bandit_path())
    out = [measure.bastion_tool("bastion", "python", jobs, src, WORK),
           measure.Tool("bandit", lambda target, out: [bandit, "-r", str(target), "-q", "-f", "json", "-o", str(out)],
                        ok=(0, 1)),
           measure.Tool("ast.parse", lambda target, out: [sys.executable, "-c", _PARSE, str(target)])]
    if base is not None:
        out.append(measure.bastion_tool("bastion-base", "python", jobs, base, WORK))
    for other in also:  # NAME=SRC: another checkout side by side (the main branch beside a change, say)
        name, _, other_src = other.partition("=")
        out.append(measure.bastion_tool(f"bastion-{name}", "python", jobs, Path(other_src), WORK))
    for other in installed:  # NAME=PYTHON: the bastion installed in that interpreter (no PYTHONPATH)
        name, _, python = other.partition("=")
        out.append(measure.bastion_tool(f"bastion-{name}", "python", jobs, None, WORK, python=python))
    return out


def findings(tool: str, output: Path) -> int | None:
    if tool != "bandit":
        return measure.bastion_findings(output)
    try:
        return len(json.loads(output.read_text()).get("results", []))
    except (OSError, ValueError):
        return None


def digest(root: Path) -> str:
    """sha256 over every .py file's relative path and bytes: which corpus the numbers are about."""
    hasher = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        hasher.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return hasher.hexdigest()


def _packages(wheels: Path, names: list[str]) -> Path:
    """A folder with copies of some of the corpus's packages (whole packages; copies, since scanners do not follow
    links to folders)."""
    folder = WORK / "packages" / "-".join(names)
    for name in names:
        if not (folder / name).exists():
            shutil.copytree(wheels / name, folder / name)
    return folder


def main() -> int:
    parser = measure.arguments(__doc__.splitlines()[0], ROOT / "src")
    parser.add_argument("--also", action="append", default=[], metavar="NAME=SRC",
                        help="another checkout's src measured as bastion-NAME (repeatable)")
    parser.add_argument("--installed", action="append", default=[], metavar="NAME=PYTHON",
                        help="the bastion installed in interpreter PYTHON measured as bastion-NAME (repeatable)")
    parser.add_argument("--packages", help="comma-separated packages of the wheel corpus: one more input, 'packages', "
                        "made of them (whole packages), for a shorter run on a busy machine")
    args = parser.parse_args()
    wheels = corpus.python_corpus()
    inputs = {"corpus": wheels, "django": wheels / "Django"}
    if args.packages:
        inputs["packages"] = _packages(wheels, args.packages.split(","))
    all_tools = tools(args.jobs, args.src, args.base, args.also, args.installed)
    print(f"# Python SAST speed, {measure.when()}: {args.rounds} paired rounds, bastion -j {args.jobs}, "
          f"all tools at nice {measure.NICE}")
    print(f"wheel corpus sha256 {digest(wheels)}")
    measure.run_inputs(inputs, all_tools, args, WORK, findings, (".py",), WORK / "python.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
