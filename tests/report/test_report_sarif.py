"""SARIF 2.1.0: valid against the official schema, and shaped the way GitHub code scanning reads it."""

from __future__ import annotations

import json

import pytest

from bastion.core.model import Confidence, Finding, Location, Note, Severity
from bastion.report import render
from bastion.report.sarif import artifact_uri, region
from bastion.core.result import Report
from tests.report.report_samples import (
    SQL_RULE,
    empty_report,
    endpoint_finding,
    full_report,
    sarif_validator,
    sql_finding,
)


def sarif(report: Report) -> dict:
    return json.loads(render(report, "sarif"))


def _errors(data: dict) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in sarif_validator().iter_errors(data)]


@pytest.mark.parametrize("build", [full_report, empty_report], ids=["full", "empty"])
def test_valid_against_the_sarif_schema(build):
    assert _errors(sarif(build())) == []


def test_run_header():
    data = sarif(full_report())
    assert data["version"] == "2.1.0" and data["$schema"].endswith("sarif-schema-2.1.0.json")
    (run,) = data["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "Bastion" and driver["version"] == "0.1.0"
    assert driver["informationUri"].startswith("https://")
    assert "originalUriBaseIds" not in run  # no absolute paths: the same scan elsewhere gives the same bytes


def test_rules_are_the_referenced_ones_with_full_help():
    run = sarif(full_report())["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted({f.rule_id for f in full_report().findings})
    sql = next(r for r in rules if r["id"] == "sql-injection")
    assert sql["name"] == "SqlInjection"
    assert sql["shortDescription"]["text"] == SQL_RULE.title
    assert sql["fullDescription"]["text"] == SQL_RULE.what
    assert sql["help"]["markdown"] == SQL_RULE.help_markdown()
    assert SQL_RULE.why in sql["help"]["text"] and SQL_RULE.fix_guidance in sql["help"]["text"]
    assert sql["helpUri"] == "https://cwe.mitre.org/data/definitions/89.html"
    assert sql["properties"]["tags"] == ["security", "CWE-89", "OWASP-A03:2021-Injection"]
    assert sql["properties"]["security-severity"] == "8.0"
    assert sql["properties"]["precision"] == "high"
    assert sql["defaultConfiguration"]["level"] == "error"
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_rule_missing_from_the_report_is_described_by_its_finding():
    run = sarif(Report("/r", [endpoint_finding()], {}))["runs"][0]
    (rule,) = run["tool"]["driver"]["rules"]
    assert rule["id"] == "error-details-exposed"
    assert rule["shortDescription"]["text"] == "Stack trace in an error response"
    assert rule["properties"]["tags"] == ["security", "CWE-209"]
    assert rule["properties"]["security-severity"] == "5.5"


@pytest.mark.parametrize(
    "severity, level, score",
    [
        (Severity.CRITICAL, "error", "9.5"),
        (Severity.HIGH, "error", "8.0"),
        (Severity.MEDIUM, "warning", "5.5"),
        (Severity.LOW, "note", "3.0"),
        (Severity.INFO, "note", "0.0"),
    ],
)
def test_levels_and_security_severity(severity, level, score):
    finding = SQL_RULE.finding("m", Location("a.py", 1), severity=severity)
    run = sarif(Report("/r", [finding], {SQL_RULE.id: SQL_RULE}))["runs"][0]
    assert run["results"][0]["level"] == level
    rule = run["tool"]["driver"]["rules"][0]
    assert rule["properties"]["security-severity"] == score  # an override wins over the rule's default
    assert rule["defaultConfiguration"]["level"] == level


def test_result_location_fingerprint_flow_and_fix():
    finding = sql_finding()
    (result,) = sarif(Report("/r", [finding], {SQL_RULE.id: SQL_RULE}))["runs"][0]["results"]
    assert result["message"]["text"] == finding.message
    physical = result["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": "app/views.py", "uriBaseId": "%SRCROOT%"}
    assert physical["region"] == {"startLine": 14, "startColumn": 5, "endLine": 14, "endColumn": 23,
                                  "snippet": {"text": "    cur.execute(query)"}}
    assert result["partialFingerprints"] == {"bastion/v1": finding.fingerprint}
    (flow,) = result["codeFlows"][0]["threadFlows"]
    steps = flow["locations"]
    assert [s["kinds"] for s in steps] == [["source"], ["step"], ["sink"]]
    assert steps[0]["location"]["message"]["text"] == "request.args['name'] read here"
    assert steps[0]["location"]["physicalLocation"]["region"]["startLine"] == 12
    (fix,) = result["fixes"]
    assert fix["description"]["text"] == "Use a query parameter"
    (change,) = fix["artifactChanges"]
    assert change["artifactLocation"]["uri"] == "app/views.py"
    assert change["replacements"][0] == {
        "deletedRegion": {"startLine": 14, "startColumn": 17, "endLine": 14, "endColumn": 22},
        "insertedContent": {"text": "q, (name,)"},
    }
    assert result["properties"]["cwe"] == ["CWE-89"] and result["properties"]["confidence"] == "high"


def test_secret_snippet_is_the_redacted_one():
    text = render(full_report(), "sarif")
    assert 'AKIA****************' in text


def test_endpoint_finding_maps_to_url_logical_location_and_web_request():
    (result,) = sarif(Report("/r", [endpoint_finding()], {}))["runs"][0]["results"]
    (location,) = result["locations"]
    assert location["physicalLocation"] == {"artifactLocation": {"uri": "http://127.0.0.1:8000/api/search?q=x"}}
    assert location["logicalLocations"] == [
        {"name": "q", "fullyQualifiedName": "GET http://127.0.0.1:8000/api/search?q=x", "kind": "resource"}
    ]
    assert result["webRequest"] == {"method": "GET", "target": "http://127.0.0.1:8000/api/search?q=x"}
    assert result["properties"]["request"].startswith("GET /api/search")
    assert result["properties"]["response"].startswith("HTTP/1.1 500")


def test_endpoint_finding_with_a_known_handler_file_keeps_the_file():
    finding = endpoint_finding()
    finding = Finding(**{**finding.__dict__, "location": Location("app/api.py", 30, 1)})
    (result,) = sarif(Report("/r", [finding], {}))["runs"][0]["results"]
    physical = result["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "app/api.py" and physical["region"]["startLine"] == 30
    assert result["locations"][0]["logicalLocations"][0]["kind"] == "resource"


def test_notes_become_tool_execution_notifications():
    (invocation,) = sarif(full_report())["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is True
    notes = invocation["toolExecutionNotifications"]
    assert [n["level"] for n in notes] == ["error", "note", "warning"]
    assert notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "broken.py"
    assert notes[1]["properties"] == {"reason": "binary"}
    assert "locations" not in notes[2]


@pytest.mark.parametrize(
    "path, expected",
    [
        ("src/app.py", {"uri": "src/app.py", "uriBaseId": "%SRCROOT%"}),
        ("./src/app.py", {"uri": "src/app.py", "uriBaseId": "%SRCROOT%"}),
        ("dir with space/a#b.py", {"uri": "dir%20with%20space/a%23b.py", "uriBaseId": "%SRCROOT%"}),
        ("src\\win\\app.py", {"uri": "src/win/app.py", "uriBaseId": "%SRCROOT%"}),
        ("検証.py", {"uri": "%E6%A4%9C%E8%A8%BC.py", "uriBaseId": "%SRCROOT%"}),
        ("c:odd.py", {"uri": "c%3Aodd.py", "uriBaseId": "%SRCROOT%"}),
        ("/abs/path.py", {"uri": "file:///abs/path.py"}),
        ("C:\\work\\a.py", {"uri": "file:///C:/work/a.py"}),
    ],
)
def test_artifact_uris(path, expected):
    assert artifact_uri(path) == expected


def test_regions_are_clamped_into_what_the_schema_allows():
    assert region(Location("a", 0, 0)) == {"startLine": 1, "startColumn": 1, "endLine": 1}
    assert region(Location("a", 5, 9, 3, 2)) == {"startLine": 5, "startColumn": 9, "endLine": 5}
    assert region(Location("a", 5, 9, 6, 2)) == {"startLine": 5, "startColumn": 9, "endLine": 6, "endColumn": 2}
    assert region(Location("a", 5, 9, 5, 9))["endColumn"] == 9  # an empty region is an insertion point


def test_empty_message_falls_back_to_the_title():
    finding = SQL_RULE.finding("", Location("a.py", 1), confidence=Confidence.LOW)
    (result,) = sarif(Report("/r", [finding], {}))["runs"][0]["results"]
    assert result["message"]["text"] == SQL_RULE.title


def test_notification_for_unknown_note_kind_is_a_note():
    data = sarif(Report("/r", [], {}, notes=[Note("info", "cache rebuilt")]))
    assert data["runs"][0]["invocations"][0]["toolExecutionNotifications"][0]["level"] == "note"
    assert _errors(data) == []


def test_github_limits_on_tags_and_flow_length_are_respected():
    from bastion.core.model import TraceStep
    from bastion.report.sarif import MAX_FLOW_STEPS, MAX_TAGS

    steps = tuple(TraceStep(Location("a.py", i + 1), f"hop {i}", "step") for i in range(MAX_FLOW_STEPS + 50))
    finding = SQL_RULE.finding("m", Location("a.py", 1), cwe=tuple(range(1, 30)), trace=steps)
    run = sarif(Report("/r", [finding], {}))["runs"][0]
    assert len(run["tool"]["driver"]["rules"][0]["properties"]["tags"]) == MAX_TAGS
    locations = run["results"][0]["codeFlows"][0]["threadFlows"][0]["locations"]
    assert len(locations) == MAX_FLOW_STEPS
    assert locations[-1]["location"]["message"]["text"] == f"hop {MAX_FLOW_STEPS + 49}"  # the sink is kept
