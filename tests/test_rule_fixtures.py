"""Every rule fixture, checked line by line, the way Semgrep tests its rules.

A comment ``ruleid: <id>`` says the next code line must be reported by rule
``<id>``; ``ok: <id>`` says it must not. Any other finding of a rule the file
annotates is an unexpected finding (a false alarm) and fails too. Fixtures live
in ``tests/fixtures/<engine>/`` and are scanned with that engine alone.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import bastion
from bastion.core.config import Config
from bastion.core.engines import all_engine_names
from bastion.core.model import Severity

FIXTURES = Path(__file__).parent / "fixtures"
ANNOTATION = re.compile(r"(?:#|//|<!--|/\*|--)\s*(ruleid|ok):\s*([A-Za-z0-9_\-]+(?:\s*,\s*[A-Za-z0-9_\-]+)*)")


def fixture_files() -> list[Path]:
    files = []
    for engine in all_engine_names():
        folder = FIXTURES / engine
        if folder.is_dir():
            files.extend(sorted(p for p in folder.rglob("*") if p.is_file()))
    return files


def parse_annotations(lines: list[str]) -> tuple[set[tuple[str, int]], set[tuple[str, int]]]:
    """(expected, forbidden): sets of (rule id, 1-based line)."""
    expected, forbidden = set(), set()
    pending: list[tuple[str, str]] = []
    for number, line in enumerate(lines, start=1):
        match = ANNOTATION.search(line)
        if match and line.strip().startswith(("#", "//", "<!--", "/*", "--")):
            pending.extend((match.group(1), rule.strip()) for rule in match.group(2).split(","))
            continue
        if pending and line.strip():
            for kind, rule in pending:
                (expected if kind == "ruleid" else forbidden).add((rule, number))
            pending = []
    return expected, forbidden


def engine_of(path: Path) -> str:
    return path.relative_to(FIXTURES).parts[0]


@pytest.mark.parametrize("fixture", fixture_files(), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture(fixture: Path) -> None:
    lines = fixture.read_text(encoding="utf-8", errors="replace").splitlines()
    expected, forbidden = parse_annotations(lines)
    if not expected and not forbidden:
        pytest.skip("no annotations (support file)")
    config = Config(min_severity=Severity.INFO, fail_on=None, report_unused_suppressions=False)
    # Lockfile fixtures annotate name rules; whatever advisory database the machine has may be old.
    report = bastion.scan([fixture], config=config, engines=[engine_of(fixture)], use_cache=False, jobs=1,
                          engine_options={"deps": {"allow_stale_db": True}})
    annotated_rules = {rule for rule, _ in expected | forbidden}
    reported = {(f.rule_id, f.location.line) for f in report.findings if f.rule_id in annotated_rules}
    problems = []
    for rule, line in sorted(expected - reported, key=lambda x: x[1]):
        problems.append(f"line {line}: expected {rule}, not reported: {lines[line - 1].strip()}")
    for rule, line in sorted(forbidden & reported, key=lambda x: x[1]):
        problems.append(f"line {line}: {rule} reported on an ok line: {lines[line - 1].strip()}")
    for rule, line in sorted(reported - expected - forbidden, key=lambda x: x[1]):
        problems.append(f"line {line}: unexpected {rule}: {lines[line - 1].strip()}")
    assert not problems, "\n".join(problems)


def test_every_rule_has_fixtures() -> None:
    """A rule without a vulnerable and a safe fixture line is untested."""
    from bastion.core.rules import all_variants

    covered_bad, covered_ok = set(), set()
    for fixture in fixture_files():
        expected, forbidden = parse_annotations(fixture.read_text(encoding="utf-8", errors="replace").splitlines())
        covered_bad |= {(engine_of(fixture), rule) for rule, _ in expected}
        covered_ok |= {(engine_of(fixture), rule) for rule, _ in forbidden}
    # rules tagged "online" need a registry to answer; their engines test them against a local server instead
    missing = [f"{r.engine}:{r.id}" for r in all_variants()
               if r.engine != "core" and "online" not in r.tags
               and ((r.engine, r.id) not in covered_bad or (r.engine, r.id) not in covered_ok)]
    assert not missing, "rules without ruleid/ok fixtures: " + ", ".join(sorted(missing))


def test_every_rule_is_documented() -> None:
    from bastion.core.rules import all_variants

    for rule in all_variants():
        assert rule.what and rule.why, rule.id
        if rule.engine != "core":
            assert rule.vulnerable and rule.fixed, rule.id
            assert rule.cwe, rule.id
            assert rule.references, rule.id
