"""The JSON report: the whole scan result in a documented, versioned schema.

The schema is described in ``docs/json-report.md``; its version is
:data:`bastion.core.result.JSON_SCHEMA_VERSION`. Keys are sorted and nothing
depends on the clock, so the same scan gives byte-identical output.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from bastion.core.model import Finding
from bastion.core.result import JSON_SCHEMA_VERSION, Report
from bastion.report import INFORMATION_URI
from bastion.report.sanitize import encodable


def to_jsonable(value: Any) -> Any:
    """Plain JSON data from whatever an engine put in ``Finding.properties``.

    Keys become strings, tuples and sets become lists (sets sorted), NaN and
    infinities and unknown objects become strings: output must never fail,
    and must be valid JSON (which has no NaN).
    """
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted((to_jsonable(v) for v in value), key=repr)
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    return str(value)


def dumps(data: Any) -> str:
    """Deterministic, UTF-8-encodable JSON text with a final newline."""
    return encodable(json.dumps(to_jsonable(data), indent=2, sort_keys=True, ensure_ascii=False)) + "\n"


def summary(report: Report) -> dict[str, Any]:
    """Counts a dashboard or a CI gate needs without walking the findings."""
    by_rule: dict[str, int] = {}
    for finding in report.findings:
        by_rule[finding.rule_id] = by_rule.get(finding.rule_id, 0) + 1
    return {
        "total": len(report.findings),
        "by_severity": report.counts_by_severity(),
        "by_engine": report.counts_by_engine(),
        "by_rule": by_rule,
        "fail_on": report.fail_on.value if report.fail_on is not None else None,
        "failing": len(report.failing()),
        "exit_code": report.exit_code,
        "incomplete": report.incomplete_paths(),
        "suppressed": report.suppressed,
        "baselined": report.baselined,
        "below_threshold": report.below_threshold,
        "outside_diff": report.outside_diff,
        "stats": report.stats.to_dict(),
        **({"details": report.details} if report.details else {}),
    }


def document(report: Report) -> dict[str, Any]:
    """The report as JSON-ready data (what :func:`render` serializes)."""
    return {
        "schema_version": JSON_SCHEMA_VERSION,
        "tool": {"name": "Bastion", "version": report.tool_version, "information_uri": INFORMATION_URI},
        "summary": summary(report),
        "findings": [f.to_dict() for f in sorted(report.findings, key=Finding.sort_key)],
        "notes": [n.to_dict() for n in report.notes],
    }


def render(report: Report) -> str:
    return dumps(document(report))
