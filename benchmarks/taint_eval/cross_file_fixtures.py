"""Bastion (two revisions), Bandit and eslint-plugin-security on the cross-file fixture projects, in one run.

    .venv/bin/python benchmarks/taint_eval/cross_file_fixtures.py --before bb7144b --after .venv/bin/bastion

``tests/fixtures/projects/<engine>/<shape>/{vulnerable,fixed}/`` are small
multi-file projects annotated like rule fixtures (``ruleid:`` on the line a
flow must be reported at, ``ok:`` on lines that must stay quiet). They were
written with the cross-file work, so they measure that it does what it says,
not how it fares on code nobody here wrote (that is the frozen corpus of
run.py). Each project is copied to a temporary folder and every tool scans it
there, under ``nice``, with the tool builders of run.py. Peers have rules of
their own, so a peer's finding counts when it is on the annotated line,
whatever its rule; Bastion's must also be of the annotated rule.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))

import run  # noqa: E402  (the frozen corpus's runner: tool builders, measuring, parsing)
from tests.test_rule_fixtures import parse_annotations  # noqa: E402

PROJECTS = HERE.parents[1] / "tests" / "fixtures" / "projects"


def annotations(project: Path) -> tuple[set[tuple[str, str, int]], set[tuple[str, str, int]]]:
    expected, forbidden = set(), set()
    for path in sorted(p for p in project.rglob("*") if p.is_file()):
        relpath = path.relative_to(project).as_posix()
        good, bad = parse_annotations(path.read_text(encoding="utf-8").splitlines())
        expected |= {(rule, relpath, line) for rule, line in good}
        forbidden |= {(rule, relpath, line) for rule, line in bad}
    return expected, forbidden


def hits(findings: list[run.Finding], marks: set[tuple[str, str, int]], bastion: bool) -> set[tuple[str, str, int]]:
    return {(rule, path, line) for rule, path, line in marks
            if any(f.covers(path, line) and (not bastion or f.rule == rule) for f in findings)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=True, help="git revision or path to a bastion executable")
    parser.add_argument("--after", required=True, help="git revision or path to a bastion executable")
    parser.add_argument("--no-peers", action="store_true")
    args = parser.parse_args()
    tools = [run.bastion_tool(args.before, "before"), run.bastion_tool(args.after, "after")]
    if not args.no_peers:
        tools += [run.bandit_tool(), run.eslint_tool()]
    projects = sorted(p for p in PROJECTS.glob("*/*/*") if p.is_dir())
    totals = {tool.name: [0, 0, 0, 0] for tool in tools}  # found, expected, flagged, ok lines
    details: dict[str, list[str]] = {tool.name: [] for tool in tools}
    for project in projects:
        engine = project.relative_to(PROJECTS).parts[0]
        language = "python" if engine == "python" else "javascript"
        expected, forbidden = annotations(project)
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "case"
            shutil.copytree(project, copy)
            for tool in tools:
                if language not in tool.languages:
                    continue
                measured = run.measure(tool.command, copy)
                findings, error = tool.parse(measured)
                if tool.parse is run.parse_eslint:
                    findings = run.relative_eslint_paths(findings, copy)
                bastion = tool.parse is run.parse_bastion
                found, flagged = hits(findings, expected, bastion), hits(findings, forbidden, bastion)
                count = totals[tool.name]
                count[0] += len(found)
                count[1] += len(expected)
                count[2] += len(flagged)
                count[3] += len(forbidden)
                name = project.relative_to(PROJECTS).as_posix()
                for rule, path, line in sorted(expected - found):
                    details[tool.name].append(f"missed {name}/{path}:{line} ({rule})")
                for rule, path, line in sorted(flagged):
                    details[tool.name].append(f"false alarm {name}/{path}:{line} ({rule})")
                if error:
                    details[tool.name].append(f"error {name}: {error}")
    print("| tool | version | expected lines found | ok lines flagged |")
    print("| --- | --- | --- | --- |")
    for tool in tools:
        found, expected, flagged, ok = totals[tool.name]
        print(f"| {tool.name} | {tool.version} | {found}/{expected} | {flagged}/{ok} |")
    for tool in tools:
        print(f"\n{tool.name}:")
        for line in details[tool.name] or ["(nothing missed, no false alarm)"]:
            print(f"- {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
