"""The JSON report: documented shape, lossless findings, valid JSON from any properties."""

from __future__ import annotations

import json

from tests.report.report_samples import empty_report, full_report, sql_finding, unicode_finding

from bastion.core.model import Finding
from bastion.report import render
from bastion.report.json_format import to_jsonable
from bastion.core.result import JSON_SCHEMA_VERSION, Report


def test_top_level_shape_and_summary():
    data = json.loads(render(full_report(), "json"))
    assert list(data) == ["findings", "notes", "schema_version", "summary", "tool"]
    assert data["schema_version"] == JSON_SCHEMA_VERSION
    assert data["tool"]["name"] == "Bastion" and data["tool"]["version"] == "0.1.0"
    summary = data["summary"]
    assert summary["total"] == 5
    assert summary["by_severity"] == {"critical": 1, "high": 2, "medium": 1, "low": 1, "info": 0}
    assert summary["by_engine"] == {"dast": 1, "python": 3, "secrets": 1}
    assert summary["by_rule"]["sql-injection"] == 1
    assert (summary["suppressed"], summary["baselined"], summary["below_threshold"], summary["outside_diff"]) == (2, 1, 4, 0)
    assert summary["fail_on"] == "medium" and summary["failing"] == 4 and summary["exit_code"] == 1
    assert summary["stats"]["files_scanned"] == 42
    assert summary["stats"]["skipped"] == {"binary": 1, "too_large": 2}
    assert "duration_seconds" not in summary["stats"]  # a clock reading would break byte-identical output
    assert [n["kind"] for n in data["notes"]] == ["error", "skipped", "warning"]


def test_findings_are_sorted_and_round_trip():
    report = full_report()
    data = json.loads(render(report, "json"))
    paths = [(f["location"]["path"], f["location"]["line"]) for f in data["findings"]]
    assert paths == sorted(paths)
    sql = next(f for f in data["findings"] if f["rule_id"] == "sql-injection")
    original = sql_finding()
    assert Finding.from_dict(sql) == original
    assert [s["kind"] for s in sql["trace"]] == ["source", "step", "sink"]
    assert sql["fix"]["edits"][0]["replacement"] == "q, (name,)"
    assert sql["fingerprint"] == original.fingerprint


def test_hostile_text_stays_valid_json_and_readable_unicode():
    text = render(Report("/r", [unicode_finding()], {}), "json")
    assert "検証" in text  # not \u-escaped: readable
    assert "\x1b" not in text and "\\u001b" in text
    data = json.loads(text)
    finding = data["findings"][0]
    assert finding["snippet"].endswith("\u202eevil") and "\ufffd" in finding["snippet"]  # lone surrogate replaced
    assert finding["properties"] == {"3": [1, 2], "path": "a/b", "pattern": "(a+)+$", "ratio": "nan"}
    assert finding["cwe"] == [1333, 1333]


def test_to_jsonable_handles_what_engines_may_put_in_properties():
    value = {1: (1, 2), "s": frozenset({"b", "a"}), "inf": float("-inf"), "ok": 1.5, "none": None, "nested": [{"x": {2}}]}
    assert to_jsonable(value) == {"1": [1, 2], "s": ["a", "b"], "inf": "-inf", "ok": 1.5, "none": None, "nested": [{"x": [2]}]}


def test_empty_report():
    data = json.loads(render(empty_report(), "json"))
    assert data["findings"] == [] and data["notes"] == []
    assert data["summary"]["total"] == 0 and data["summary"]["exit_code"] == 0


def test_output_ends_with_newline_and_is_indented():
    text = render(empty_report(), "json")
    assert text.endswith("}\n") and text.startswith("{\n  ")
