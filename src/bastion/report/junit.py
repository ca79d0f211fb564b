"""JUnit XML, the test-report format every CI server shows.

One ``<testsuite>`` per engine, one ``<testcase>`` per finding, and the
scan's notes (skipped files, analysis errors) as the output of a last suite. A finding at
or above the fail-on severity is a ``<failure>``; a milder one is a
``<skipped>`` case that says why, so the CI verdict matches Bastion's exit
code. A clean scan is one passing test case, so the CI shows that the
check ran. Built with ElementTree (well-formed by construction) from text
that XML 1.0 accepts (:func:`~bastion.report.sanitize.xml_text`).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict

from bastion.core.model import Finding
from bastion.core.result import Report
from bastion.report.labels import location_label, note_label, sorted_findings, where
from bastion.report.sanitize import xml_text


def _details(finding: Finding) -> str:
    """The failure body: everything a reader of the CI log needs to find and fix the problem."""
    lines = [f"{finding.severity.value} {finding.rule_id}: {finding.title}", where(finding), "", finding.message]
    if finding.snippet:
        first = finding.location.line
        lines += ["", *(f"{first + i:>5} | {text}" for i, text in enumerate(finding.snippet.rstrip("\n").split("\n")))]
    if finding.trace:
        lines += ["", "data flow:"]
        lines += [f"  {s.kind:<6} {location_label(s.location)}  {s.note}" for s in finding.trace]
    if finding.fix_guidance:
        lines += ["", f"fix: {finding.fix_guidance}"]
    if finding.cwe:
        lines += ["", ", ".join(f"CWE-{c}" for c in finding.cwe)]
    return xml_text("\n".join(lines))


def _testcase(suite: ET.Element, finding: Finding, failing: bool, fail_on: str | None) -> None:
    case = ET.SubElement(
        suite,
        "testcase",
        {
            "classname": xml_text(f"bastion.{finding.engine}.{finding.rule_id}"),
            "name": xml_text(f"{finding.rule_id} at {where(finding)}"),
            "file": xml_text(finding.location.path),
            "line": str(finding.location.line),
            "time": "0",
        },
    )
    message = xml_text(f"[{finding.severity.value}] {finding.title}: {finding.message}")
    if failing:
        failure = ET.SubElement(case, "failure", {"type": xml_text(finding.rule_id), "message": message})
        failure.text = _details(finding)
    else:
        ET.SubElement(case, "skipped", {"message": f"{finding.severity.value}: below the fail-on severity ({fail_on})"})
        ET.SubElement(case, "system-out").text = _details(finding)


def _suite(name: str, tests: int, failures: int, skipped: int) -> ET.Element:
    attrs = {"name": xml_text(name), "tests": str(tests), "failures": str(failures), "errors": "0",
             "skipped": str(skipped), "time": "0"}
    return ET.Element("testsuite", attrs)


def render(report: Report) -> str:
    failing_ids = {id(f) for f in report.failing()}
    fail_on = report.fail_on.value if report.fail_on is not None else "none"
    by_engine: dict[str, list[Finding]] = defaultdict(list)
    for finding in sorted_findings(report):
        by_engine[finding.engine].append(finding)
    root = ET.Element("testsuites", {"name": "Bastion", "tests": "0", "failures": "0", "errors": "0", "time": "0"})
    total = failures = 0
    for engine, findings in sorted(by_engine.items()):
        n_failing = sum(id(f) in failing_ids for f in findings)
        suite = _suite(f"bastion.{engine}", len(findings), n_failing, len(findings) - n_failing)
        for finding in findings:
            _testcase(suite, finding, id(finding) in failing_ids, fail_on)
        root.append(suite)
        total, failures = total + len(findings), failures + n_failing
    if not by_engine:
        suite = _suite("bastion", 1, 0, 0)
        ET.SubElement(suite, "testcase", {"classname": "bastion", "name": "no findings", "time": "0"})
        root.append(suite)
        total = 1
    if report.notes:  # skipped files and analysis errors: worth reading, not tests
        notes = _suite("bastion.notes", 0, 0, 0)
        ET.SubElement(notes, "system-out").text = xml_text("\n".join(note_label(n) for n in report.notes))
        root.append(notes)
    root.set("tests", str(total))
    root.set("failures", str(failures))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
