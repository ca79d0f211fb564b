"""The JSON report matches the schema published in docs/json-report.md, so the documentation cannot drift from the code."""

from __future__ import annotations

import json
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from jsonschema import Draft202012Validator

from bastion.report import render
from bastion.core.result import JSON_SCHEMA_VERSION
from tests.report.report_samples import empty_report, full_report, reports

DOC = Path(__file__).resolve().parents[2] / "docs" / "json-report.md"


def _json_blocks(markdown: str) -> list[str]:
    return re.findall(r"```json\n(.*?)\n```", markdown, flags=re.S)  # our own doc, not scanned input


def _validator() -> Draft202012Validator:
    doc = DOC.read_text(encoding="utf-8")
    section = doc[doc.index("<!-- schema:begin -->"):doc.index("<!-- schema:end -->")]
    (block,) = _json_blocks(section)
    schema = json.loads(block)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


VALIDATOR = _validator()


def _errors(text: str) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in VALIDATOR.iter_errors(json.loads(text))]


def test_reports_match_the_documented_schema():
    assert _errors(render(full_report(), "json")) == []
    assert _errors(render(empty_report(), "json")) == []


def test_the_documented_example_matches_the_schema_and_the_current_version():
    example = json.loads(_json_blocks(DOC.read_text(encoding="utf-8"))[0])
    assert list(VALIDATOR.iter_errors(example)) == []
    assert example["schema_version"] == JSON_SCHEMA_VERSION
    assert set(example) == set(json.loads(render(empty_report(), "json")))
    assert set(example["summary"]) == set(json.loads(render(empty_report(), "json"))["summary"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports)
def test_random_reports_match_the_documented_schema(report):
    assert _errors(render(report, "json")) == []
