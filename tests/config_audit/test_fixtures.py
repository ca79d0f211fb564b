"""Every annotated fixture line, checked against the engine directly (the shared harness in
tests/test_rule_fixtures.py does the same through the public API): `ruleid: X` lines must be reported by X,
`ok: X` lines must not, and no other finding of an annotated rule may appear. Each fixture is scanned as the
harness scans it: its folder is the root and its name the path."""

from __future__ import annotations

import re

import pytest

from bastion.config_audit.engine import ALL_RULES

from tests.config_audit.helpers import FIXTURES, run

_ANNOTATION = re.compile(r"(?:#|//|<!--)\s*(ruleid|ok):\s*([\w-]+(?:\s*,\s*[\w-]+)*)")
_COMMENT = re.compile(r"^\s*(#|//|<!--)")

FILES = sorted(p.relative_to(FIXTURES).as_posix() for p in FIXTURES.rglob("*") if p.is_file())


def expectations(text: str) -> tuple[set[tuple[str, int]], set[tuple[str, int]]]:
    expected, forbidden = set(), set()
    pending: list[tuple[str, str]] = []
    for number, line in enumerate(text.splitlines(), 1):
        match = _ANNOTATION.search(line)
        if match and _COMMENT.match(line):
            pending.extend((match.group(1), rule.strip()) for rule in match.group(2).split(","))
            continue
        if not line.strip() or _COMMENT.match(line):
            continue
        for kind, rule_id in pending:
            (expected if kind == "ruleid" else forbidden).add((rule_id, number))
        pending = []
    return expected, forbidden


@pytest.mark.parametrize("relpath", FILES)
def test_fixture(relpath: str) -> None:
    expected, forbidden = expectations((FIXTURES / relpath).read_text())
    fixture = FIXTURES / relpath
    findings, notes = run(fixture.parent, fixture.name)
    assert not [n for n in notes if n.kind in ("failure", "error")], notes
    annotated = {rule_id for rule_id, _ in expected | forbidden}
    reported = {(f.rule_id, f.location.line) for f in findings if f.rule_id in annotated}
    assert expected - reported == set(), f"missed: {sorted(expected - reported)}"
    assert reported & forbidden == set(), f"reported on ok lines: {sorted(reported & forbidden)}"
    assert reported - expected == set(), f"unannotated findings: {sorted(reported - expected)}"


def test_every_rule_has_bad_and_good_fixtures() -> None:
    bad: dict[str, int] = {}
    good: dict[str, int] = {}
    for relpath in FILES:
        expected, forbidden = expectations((FIXTURES / relpath).read_text())
        for rule_id, _ in expected:
            bad[rule_id] = bad.get(rule_id, 0) + 1
        for rule_id, _ in forbidden:
            good[rule_id] = good.get(rule_id, 0) + 1
    for rule in ALL_RULES:
        assert bad.get(rule.id, 0) >= 3, f"{rule.id}: {bad.get(rule.id, 0)} vulnerable shapes"
        assert good.get(rule.id, 0) >= 3, f"{rule.id}: {good.get(rule.id, 0)} safe shapes"
