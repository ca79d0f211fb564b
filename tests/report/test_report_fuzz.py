"""Random findings with hostile text never crash a renderer, and every output stays valid for its consumer."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

from hypothesis import HealthCheck, given, settings

from bastion.report import FORMATS, render
from bastion.report.markdown import MAX_CHARS
from tests.report.report_samples import reports, sarif_validator

_settings = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_settings
@given(reports)
def test_every_format_renders_any_report_to_encodable_text(report):
    for fmt in FORMATS:
        out = render(report, fmt, color=True, width=60)
        out.encode("utf-8")
        assert render(report, fmt, color=True, width=60) == out


@_settings
@given(reports)
def test_sarif_stays_schema_valid(report):
    validator = sarif_validator()
    data = json.loads(render(report, "sarif"))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
    assert errors == []


@_settings
@given(reports)
def test_json_junit_and_markdown_stay_parseable(report):
    data = json.loads(render(report, "json"))
    assert data["summary"]["total"] == len(report.findings)
    root = ET.fromstring(render(report, "junit").encode("utf-8"))
    assert sum(int(s.get("tests")) for s in root.findall("testsuite")) == int(root.get("tests"))
    markdown = render(report, "markdown")
    assert len(markdown) <= MAX_CHARS
    outside_code = _CODE_SPAN.sub("", _FENCED.sub("", markdown))  # a "<details>" in code is literal text
    assert outside_code.count("<details>") == outside_code.count("</details>")


#: A fenced code block, indented or not, closed by a fence of the same backticks.
_FENCED = re.compile(r"^[ \t]*(`{3,})[^\n]*\n.*?^[ \t]*\1[ \t]*$", re.MULTILINE | re.DOTALL)
#: An inline code span on one line, closed by a run of exactly as many backticks.
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)[^\n]*?(?<!`)\1(?!`)")


@_settings
@given(reports)
def test_plain_text_never_carries_control_characters(report):
    out = render(report, "text")
    assert not any(ord(c) < 0x20 and c not in "\n" for c in out)


@_settings
@given(reports)
def test_sarif_messages_are_never_empty(report):
    """GitHub rejects a SARIF message without text, whatever the engine left empty."""
    run = json.loads(render(report, "sarif"))["runs"][0]
    messages = [r["message"]["text"] for r in run["results"]]
    messages += [n["message"]["text"] for n in run["invocations"][0]["toolExecutionNotifications"]]
    messages += [r["shortDescription"]["text"] for r in run["tool"]["driver"]["rules"]]
    assert all(m.strip() for m in messages)
