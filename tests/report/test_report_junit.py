"""JUnit XML: well-formed, one suite per engine, failures matching the exit code."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from bastion.core.model import Severity
from bastion.report import render
from bastion.core.result import Report
from tests.report.report_samples import empty_report, full_report, unicode_finding


def junit(report: Report) -> ET.Element:
    text = render(report, "junit")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(text.encode("utf-8"))


def test_one_suite_per_engine_and_one_case_per_finding():
    root = junit(full_report())
    assert root.tag == "testsuites" and root.get("name") == "Bastion"
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert list(suites) == ["bastion.dast", "bastion.python", "bastion.secrets", "bastion.notes"]
    assert root.get("tests") == "5" and root.get("failures") == "4"
    python = suites["bastion.python"]
    assert (python.get("tests"), python.get("failures"), python.get("skipped")) == ("3", "2", "1")
    cases = python.findall("testcase")
    assert [c.get("classname") for c in cases] == [
        "bastion.python.unsafe-deserialization", "bastion.python.sql-injection", "bastion.python.redos"]
    assert cases[1].get("file") == "app/views.py" and cases[1].get("line") == "14"
    assert cases[1].get("name") == "sql-injection at app/views.py:14:5"


def test_failure_carries_message_and_details():
    root = junit(full_report())
    case = root.find(".//testcase[@classname='bastion.python.sql-injection']")
    failure = case.find("failure")
    assert failure.get("type") == "sql-injection"
    assert failure.get("message").startswith("[high] SQL query built from untrusted input: request.args")
    body = failure.text
    assert "   14 |     cur.execute(query)" in body
    assert "source app/views.py:12:12  request.args['name'] read here" in body
    assert "fix: Pass values as query parameters" in body and "CWE-89" in body


def test_findings_below_fail_on_are_skipped_cases_not_failures():
    root = junit(full_report())
    case = root.find(".//testcase[@classname='bastion.python.redos']")
    assert case.find("failure") is None
    assert case.find("skipped").get("message") == "low: below the fail-on severity (medium)"
    assert "Regex with catastrophic backtracking" in case.find("system-out").text


def test_fail_on_none_fails_nothing_and_fail_on_info_fails_everything():
    report = full_report()
    report.fail_on = None
    assert junit(report).get("failures") == "0"
    report.fail_on = Severity.INFO
    assert junit(report).get("failures") == "5"


def test_clean_scan_is_one_passing_case():
    root = junit(empty_report())
    (suite,) = root.findall("testsuite")
    (case,) = suite.findall("testcase")
    assert case.get("name") == "no findings" and list(case) == []
    assert root.get("tests") == "1" and root.get("failures") == "0"


def test_notes_are_the_output_of_the_notes_suite():
    root = junit(full_report())
    notes = root.find("testsuite[@name='bastion.notes']")
    assert notes.get("tests") == "0"
    assert "error: broken.py: syntax error" in notes.find("system-out").text


def test_characters_xml_forbids_are_made_visible_and_the_document_stays_well_formed():
    root = junit(Report("/r", [unicode_finding()], {}))
    failure_or_out = root.find(".//testcase/system-out").text
    assert "\\x1b[31mred\\x00" in failure_or_out and "\ufffd" in failure_or_out
    assert "\\x0d" in failure_or_out  # a carriage return in the fix guidance
