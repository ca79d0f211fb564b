"""SARIF 2.1.0, the format GitHub code scanning and IDE viewers read.

Choices that matter to GitHub:

- Paths are relative URIs under ``%SRCROOT%`` (the checkout), never absolute,
  so alerts match across machines and the output is deterministic.
- ``properties["security-severity"]`` on each rule drives GitHub's
  critical/high/medium/low badge; ``level`` drives the check annotation.
- ``partialFingerprints["bastion/v1"]`` is the finding's own fingerprint,
  which survives line moves, so an alert stays the same alert.
- Only rules that results reference are listed: GitHub shows every listed rule.
- One weakness keeps one rule id in every language. When two engines report the same rule
  (``sql-injection`` in Python and JavaScript), the first engine's descriptor is in the driver
  and each other engine's in a tool extension of its own (``Bastion javascript``); its results
  point there with ``rule.toolComponent``, so each shows its own language's help and examples.

A runtime finding (an HTTP endpoint) has no file; its URL becomes the
artifact, the endpoint a logical location, and the request/response it was
proven with go to the result's property bag.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from bastion.core.model import Confidence, Endpoint, Finding, Location, Note, Rule, Severity, TraceStep
from bastion.core.result import Report
from bastion.report import INFORMATION_URI
from bastion.report.json_format import dumps, to_jsonable
from bastion.report.sanitize import encodable

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT_KEY = "bastion/v1"
SRCROOT = "%SRCROOT%"

LEVELS = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
#: GitHub maps >= 9.0 to critical, >= 7.0 high, >= 4.0 medium, > 0 low.
SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "0.0",
}
#: GitHub keeps 10 tags per rule (and rejects more than 20) and 1,000 thread flow locations per result
#: (rejecting more than 10,000): beyond these, SARIF would lose the tail or the whole upload.
MAX_TAGS = 10
MAX_FLOW_STEPS = 1_000

PRECISION = {Confidence.HIGH: "high", Confidence.MEDIUM: "medium", Confidence.LOW: "low"}
PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "note": "recommendation"}
_NOTE_LEVELS = {"failure": "error", "error": "error", "warning": "warning"}


def _text(value: str, fallback: str) -> dict[str, str]:
    """A SARIF message; GitHub rejects empty ones."""
    for candidate in (value, fallback):
        if candidate.strip():
            return {"text": candidate}
    return {"text": "(no description)"}


def artifact_uri(path: str) -> dict[str, str]:
    """An artifactLocation for a path as the scan reported it (relative to the root, normally)."""
    posix = encodable(path).replace("\\", "/")
    if posix.startswith("/"):
        return {"uri": "file://" + quote(posix, safe="/")}
    if posix[1:3] == ":/" and posix[0].isascii() and posix[0].isalpha():  # a Windows drive path
        return {"uri": "file:///" + posix[:2] + quote(posix[2:], safe="/")}
    return {"uri": quote(posix.removeprefix("./"), safe="/"), "uriBaseId": SRCROOT}


def region(location: Location, snippet: str = "") -> dict[str, Any]:
    """A region clamped to what the schema allows: positions are 1-based, the end never before the start."""
    start_line = max(1, location.line)
    start_column = max(1, location.column)
    end_line = max(start_line, location.end_line if location.end_line is not None else start_line)
    out: dict[str, Any] = {"startLine": start_line, "startColumn": start_column, "endLine": end_line}
    end_column = location.end_column
    if end_column is not None and end_column >= 1 and (end_line > start_line or end_column >= start_column):
        out["endColumn"] = end_column
    if snippet:
        out["snippet"] = {"text": snippet}
    return out


def physical_location(location: Location, snippet: str = "") -> dict[str, Any]:
    return {"artifactLocation": artifact_uri(location.path), "region": region(location, snippet)}


def _tags(cwe: tuple[int, ...], owasp: str | None, extra: tuple[str, ...] = ()) -> list[str]:
    tags = ["security", *(f"CWE-{c}" for c in cwe), *((f"OWASP-{owasp}",) if owasp else ()), *extra]
    return list(dict.fromkeys(tags))[:MAX_TAGS]  # the schema wants unique tags


def _rule_name(rule_id: str) -> str:
    """``sql-injection`` -> ``SqlInjection``: SARIF wants an identifier-like name."""
    return "".join(part[:1].upper() + part[1:] for part in rule_id.replace("_", "-").split("-")) or rule_id


def _help_text(rule: Rule) -> str:
    parts = [rule.what, rule.why]
    if rule.fix_guidance:
        parts.append(f"How to fix: {rule.fix_guidance}")
    if rule.references:
        parts.append("References:\n" + "\n".join(rule.references))
    return "\n\n".join(p for p in parts if p)


def rule_descriptor(rule_id: str, rule: Rule | None, findings: list[Finding]) -> dict[str, Any]:
    """The driver's rule entry, from the rule's docs; a rule missing from the report is described by its finding.

    The severity shown is the highest among the rule's findings, so that a
    configured severity override is what GitHub displays.
    """
    first = findings[0]
    severity = max((f.severity for f in findings), key=lambda s: s.rank)
    confidence = rule.confidence if rule is not None else first.confidence
    cwe = rule.cwe if rule is not None else first.cwe
    owasp = rule.owasp if rule is not None else first.owasp
    title = rule.title if rule is not None else first.title
    descriptor: dict[str, Any] = {
        "id": rule_id,
        "name": _rule_name(rule_id),
        "shortDescription": _text(title, rule_id),
        "fullDescription": _text(rule.what if rule is not None else "", title or rule_id),
        "defaultConfiguration": {"level": LEVELS[severity]},
        "properties": {
            "tags": _tags(cwe, owasp, rule.tags if rule is not None else ()),
            "security-severity": SECURITY_SEVERITY[severity],
            "precision": PRECISION[confidence],
            "problem.severity": PROBLEM_SEVERITY[LEVELS[severity]],
        },
    }
    if rule is not None:
        descriptor["help"] = {"text": _help_text(rule) or title or rule_id, "markdown": rule.help_markdown()}
        web_refs = [r for r in rule.references if r.startswith(("https://", "http://"))]
        if web_refs:
            descriptor["helpUri"] = web_refs[0]
    else:
        descriptor["help"] = _text(first.fix_guidance, title or rule_id)
    return descriptor


def _endpoint_locations(finding: Finding, ep: Endpoint) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Locations and web request of a runtime finding: the URL is the artifact unless a source file is known."""
    path = finding.location.path
    if path and "://" not in path:
        physical = physical_location(finding.location, finding.snippet)
    else:
        physical = {"artifactLocation": {"uri": quote(encodable(ep.url), safe=":/?#[]@!$&'()*+,;=%-._~")}}
    logical = {"name": ep.parameter or ep.url, "fullyQualifiedName": f"{ep.method} {ep.url}", "kind": "resource"}
    location = {"physicalLocation": physical, "logicalLocations": [logical]}
    return [location], {"method": ep.method, "target": ep.url}


def _flow_steps(trace: tuple[TraceStep, ...]) -> tuple[TraceStep, ...]:
    """The trace, or for a very long one its beginning and its sink: the two ends are what a reader needs."""
    return trace if len(trace) <= MAX_FLOW_STEPS else (*trace[: MAX_FLOW_STEPS - 1], trace[-1])


def _thread_flow_location(step: TraceStep) -> dict[str, Any]:
    return {
        "location": {"physicalLocation": physical_location(step.location), "message": _text(step.note, step.kind)},
        "kinds": [step.kind],
    }


def _related_locations(finding: Finding) -> list[dict[str, Any]]:
    """A flow that crosses files: its steps in other files than the result's (the source, the calls that carry
    the data), for viewers that show related locations but not code flows."""
    related: list[dict[str, Any]] = []
    for step in finding.trace:
        if step.location.path != finding.location.path:
            related.append({"id": len(related), "physicalLocation": physical_location(step.location),
                            "message": _text(step.note, step.kind)})
    return related


def _fixes(finding: Finding) -> list[dict[str, Any]]:
    if finding.fix is None or not finding.fix.edits:
        return []
    changes: dict[str, list[dict[str, Any]]] = {}
    for edit in finding.fix.edits:
        deleted = region(Location(edit.path, edit.line, edit.column, edit.end_line, edit.end_column))
        changes.setdefault(edit.path, []).append({"deletedRegion": deleted, "insertedContent": {"text": edit.replacement}})
    artifact_changes = [{"artifactLocation": artifact_uri(p), "replacements": r} for p, r in changes.items()]
    return [{"description": _text(finding.fix.description, "Apply the suggested fix"), "artifactChanges": artifact_changes}]


def result(finding: Finding, rule_index: int) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": _text(finding.message, finding.title or finding.rule_id),
    }
    properties: dict[str, Any] = {
        "severity": finding.severity.value,
        "confidence": finding.confidence.value,
        "engine": finding.engine,
        "cwe": [f"CWE-{c}" for c in finding.cwe],
    }
    if finding.endpoint is not None:
        out["locations"], out["webRequest"] = _endpoint_locations(finding, finding.endpoint)
        properties.update({k: v for k, v in finding.endpoint.to_dict().items() if k in ("request", "response")})
    else:
        out["locations"] = [{"physicalLocation": physical_location(finding.location, finding.snippet)}]
    if finding.fingerprint:
        out["partialFingerprints"] = {FINGERPRINT_KEY: finding.fingerprint}
    if finding.trace:
        flow = {"locations": [_thread_flow_location(s) for s in _flow_steps(finding.trace)]}
        out["codeFlows"] = [{"message": _text(finding.message, finding.rule_id), "threadFlows": [flow]}]
        related = _related_locations(finding)
        if related:
            out["relatedLocations"] = related
    fixes = _fixes(finding)
    if fixes:
        out["fixes"] = fixes
    for key, value in (("owasp", finding.owasp), ("language", finding.language), ("fixGuidance", finding.fix_guidance)):
        if value:
            properties[key] = value
    if finding.attack:
        properties["attack"] = list(finding.attack)
    if finding.incident is not None:
        properties["incident"] = finding.incident.to_dict()
    if finding.properties:
        properties["details"] = to_jsonable(finding.properties)
    out["properties"] = properties
    return out


def notification(note: Note) -> dict[str, Any]:
    """A note (skipped file, parser failure) as a tool execution notification."""
    out: dict[str, Any] = {
        "level": _NOTE_LEVELS.get(note.kind, "note"),
        "message": _text(note.message, note.kind),
        "descriptor": {"id": f"bastion/{note.kind}"},
    }
    if note.path:
        out["locations"] = [{"physicalLocation": {"artifactLocation": artifact_uri(note.path)}}]
    if note.reason:
        out["properties"] = {"reason": note.reason}
    return out


def _descriptor_groups(report: Report, findings: list[Finding]) -> list[dict[tuple[str, str], list[Finding]]]:
    """Findings grouped by rule and engine, split into tool components: the first engine of each rule in the
    driver, a rule's other engines (the same weakness in another language) each in a component of their own,
    so that every result points at the help and examples of its own language under the same rule id."""
    engines_of: dict[str, list[str]] = {}
    groups: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        key = (finding.rule_id, finding.engine)
        if key not in groups:
            engines_of.setdefault(finding.rule_id, []).append(finding.engine)
        groups.setdefault(key, []).append(finding)
    components: list[dict[tuple[str, str], list[Finding]]] = [{}]
    extension_of: dict[str, int] = {}
    for rule_id in sorted(engines_of):
        first, *others = sorted(engines_of[rule_id])
        components[0][(rule_id, first)] = groups[(rule_id, first)]
        for engine in others:
            if engine not in extension_of:
                extension_of[engine] = len(components)
                components.append({})
            components[extension_of[engine]][(rule_id, engine)] = groups[(rule_id, engine)]
    return components


def document(report: Report) -> dict[str, Any]:
    """The SARIF log as JSON-ready data (what :func:`render` serializes)."""
    findings = sorted(report.findings, key=Finding.sort_key)
    components = _descriptor_groups(report, findings)
    place: dict[tuple[str, str], tuple[int, int]] = {}  # (rule, engine) -> (component, rule index)
    descriptors: list[list[dict[str, Any]]] = []
    for number, component in enumerate(components):
        rules = []
        for index, ((rule_id, engine), members) in enumerate(component.items()):
            place[(rule_id, engine)] = (number, index)
            rules.append(rule_descriptor(rule_id, report.rule_for(members[0]), members))
        descriptors.append(rules)
    driver: dict[str, Any] = {
        "name": "Bastion",
        "informationUri": INFORMATION_URI,
        "rules": descriptors[0],
    }
    if report.tool_version:
        driver["version"] = report.tool_version
    tool: dict[str, Any] = {"driver": driver}
    if len(components) > 1:
        tool["extensions"] = [
            {"name": f"Bastion {next(iter(component))[1]}", "informationUri": INFORMATION_URI, "rules": rules}
            for component, rules in zip(components[1:], descriptors[1:])
        ]
    results = []
    for finding in findings:
        number, index = place[(finding.rule_id, finding.engine)]
        entry = result(finding, index)
        if number:
            entry["rule"] = {"id": finding.rule_id, "index": index, "toolComponent": {"index": number - 1}}
        results.append(entry)
    run = {
        "tool": tool,
        "invocations": [
            {
                "executionSuccessful": True,
                "toolExecutionNotifications": [notification(n) for n in report.notes],
            }
        ],
        "results": results,
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(report: Report) -> str:
    return dumps(document(report))
