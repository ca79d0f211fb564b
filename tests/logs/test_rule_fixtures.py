"""The rules of bastion logs checked on annotated log lines, the way tests/test_rule_fixtures.py checks scan rules.

Behaviour rules (windows of many lines) are tested in test_signals.py with generated sessions; every rule
has a vulnerable and a fixed example in rules.toml, and every single-line rule a `ruleid`/`ok` pair here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bastion.logs import analyze_logs
from bastion.logs.findings import rules
from bastion.logs.signals import payloads  # noqa: F401  (the families the fixtures cover)

FIXTURES = Path(__file__).parent / "fixtures"
WINDOWED = {"log-probing", "log-brute-force", "log-credential-stuffing", "log-rate-limited", "log-error-spike",
            "log-error-burst", "log-access-denied"}


def _annotated(path: Path, tmp_path: Path) -> tuple[str, set, set]:
    expected, forbidden, pending, kept = set(), set(), [], []
    for number, text in enumerate(path.read_text().splitlines(), start=1):
        if text.startswith("#"):
            kind, _, rule = text.lstrip("# ").partition(": ")
            if kind in ("ruleid", "ok"):
                pending.append((kind, rule.strip()))
            kept.append("")  # blank keeps the numbering
            continue
        for kind, rule in pending:
            (expected if kind == "ruleid" else forbidden).add((rule, number))
        pending = []
        kept.append(text)
    out = tmp_path / path.name
    out.write_text("\n".join(kept) + "\n")
    return str(out), expected, forbidden


@pytest.mark.parametrize("fixture", sorted(FIXTURES.iterdir()), ids=lambda p: p.name)
def test_fixture(fixture, tmp_path):
    log, expected, forbidden = _annotated(fixture, tmp_path)
    report = analyze_logs([log])
    reported = {(f.rule_id, loc.line) for f in report.findings for loc in f.incident.lines}
    assert not expected - reported, f"not reported: {sorted(expected - reported)}"
    assert not forbidden & reported, f"reported on ok lines: {sorted(forbidden & reported)}"


def test_every_single_line_rule_has_fixtures(tmp_path):
    covered = {"ruleid": set(), "ok": set()}
    for fixture in FIXTURES.iterdir():
        _, expected, forbidden = _annotated(fixture, tmp_path)
        covered["ruleid"] |= {r for r, _ in expected}
        covered["ok"] |= {r for r, _ in forbidden}
    single_line = set(rules()) - WINDOWED
    assert single_line <= covered["ruleid"] and single_line <= covered["ok"], single_line - (covered["ruleid"] & covered["ok"])
