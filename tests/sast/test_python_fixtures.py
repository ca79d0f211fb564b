"""Every annotated fixture of the Python engine, checked line by line.

``# ruleid: <id>``: the next non-comment line must be reported by that rule;
``# ok: <id>``: it must not. A rule annotated in a file may report nothing
else in that file, so the fixtures measure false alarms as well as misses.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bastion.sast.python.rules import load_rules

from .conftest import FIXTURES, scan_source

_ANNOTATION = re.compile(r"#\s*(ruleid|ok):\s*([a-z0-9-]+)")


def expectations(text: str) -> tuple[dict[str, set[int]], dict[str, set[int]]]:
    wanted: dict[str, set[int]] = {}
    clean: dict[str, set[int]] = {}
    pending: list[tuple[str, str]] = []
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        match = _ANNOTATION.search(stripped)
        if stripped.startswith("#"):
            if match:
                pending.append((match.group(1), match.group(2)))
            continue
        if not stripped:
            continue
        for kind, rule in pending:
            (wanted if kind == "ruleid" else clean).setdefault(rule, set()).add(number)
        pending = []
    return wanted, clean


FILES = sorted(FIXTURES.glob("*.py"))


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_fixture(path: Path) -> None:
    text = path.read_text()
    wanted, clean = expectations(text)
    assert wanted, f"{path.name} has no ruleid annotations"
    found: dict[str, set[int]] = {}
    for finding in scan_source(text, path=path.name):
        found.setdefault(finding.rule_id, set()).add(finding.location.line)
    problems = []
    for rule in sorted(wanted.keys() | clean.keys()):
        got = found.get(rule, set())
        missed = wanted.get(rule, set()) - got
        false_alarms = got - wanted.get(rule, set())
        if missed:
            problems.append(f"{rule}: missed lines {sorted(missed)}")
        if false_alarms:
            problems.append(f"{rule}: unexpected findings on lines {sorted(false_alarms)}")
    assert not problems, "\n".join(problems)


def test_every_rule_has_fixtures_with_three_shapes_each_way() -> None:
    counts: dict[str, list[int]] = {}
    for path in FILES:
        wanted, clean = expectations(path.read_text())
        for rule, lines in wanted.items():
            counts.setdefault(rule, [0, 0])[0] += len(lines)
        for rule, lines in clean.items():
            counts.setdefault(rule, [0, 0])[1] += len(lines)
    weak = {r: counts.get(r, [0, 0]) for r in load_rules() if counts.get(r, [0, 0])[0] < 3 or counts.get(r, [0, 0])[1] < 3}
    assert not weak, f"rules with fewer than 3 vulnerable or 3 safe fixture shapes: {weak}"


def test_every_annotated_rule_exists() -> None:
    rules = load_rules()
    for path in FILES:
        wanted, clean = expectations(path.read_text())
        unknown = (wanted.keys() | clean.keys()) - rules.keys()
        assert not unknown, f"{path.name} annotates unknown rules {unknown}"
