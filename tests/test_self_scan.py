"""Practise what we preach: Bastion scans its own repository with nothing above low.

The repository's own `[tool.bastion]` excludes examples/ and the rule
fixtures, which are vulnerable on purpose; everything else, tests included,
must be clean.
"""

from __future__ import annotations

from pathlib import Path

import bastion

ROOT = Path(__file__).resolve().parents[1]


def test_repository_scans_itself_clean():
    # The advisory database is whatever `make advisories` built (the shared snapshot is older than the
    # audit's limit): accept its age here; the refusal itself is tests/deps/test_fail_closed.py.
    report = bastion.scan(ROOT, use_cache=False, fail_on="medium", engine_options={"deps": {"allow_stale_db": True}})
    above_low = [f"{f.severity.value} {f.rule_id} {f.location.path}:{f.location.line} {f.message}"
                 for f in report.findings if f.severity.rank > 1]
    assert not above_low, "\n".join(above_low)
    errors = [n.message for n in report.notes if n.kind in ("failure", "error")]
    assert not errors, errors
