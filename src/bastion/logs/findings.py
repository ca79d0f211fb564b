"""Incidents to findings of the common model, and the report every format renders.

A finding's location is the first line of the incident in its log; its
``incident`` carries the client, first and last time, the count and the first
lines; ``attack`` the ATT&CK techniques of the rule. The fingerprint key is the
rule and client, so a baseline of known incidents keeps working across runs.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from bastion.logs.incidents import OpenIncident
from bastion.logs.timeparse import iso
from bastion.core.model import Finding, Incident, Location, Rule, Severity
from bastion.core.rulebook import load

ENGINE = "logs"
#: Details kept for ``--source`` linking, not for the message.
_LINKING_ONLY = ("status", "message", "path", "request")
RULES_FILE = Path(__file__).with_name("rules.toml")


@lru_cache(maxsize=1)
def rules() -> dict[str, Rule]:
    return load(RULES_FILE, ENGINE, ())


def _when(incident: OpenIncident) -> str:
    first, last = iso(incident.first), iso(incident.last)
    if not first:
        return ""
    return f" at {first}" if first == last or not last else f" from {first} to {last}"


def _detail_text(incident: OpenIncident) -> str:
    shown = [f"{key} {value}" for (key, value), _ in incident.details.most_common(6) if key not in _LINKING_ONLY][:3]
    return f" ({'; '.join(shown)})" if shown else ""


def to_finding(incident: OpenIncident, links=None) -> Finding:
    rule = rules()[incident.rule]
    lines = tuple(Location(source, line) for source, line in incident.lines)
    who = incident.client or "unknown client"
    message = (f"{who}: {incident.count} line(s){_when(incident)}{_detail_text(incident)}; "
               f"e.g. {incident.samples[0] if incident.samples else ''}")
    severity = rule.severity
    statuses = {value for (key, value) in incident.details if key == "status"}
    if rule.id in ("log-sql-injection", "log-path-traversal", "log-command-injection", "log-template-injection",
                   "log-ssrf", "log-jndi-lookup", "log-xss") and not any(s.startswith("2") for s in statuses) and statuses:
        severity = Severity.MEDIUM if severity.rank > Severity.MEDIUM.rank else severity  # every attempt was refused
    properties = {"client": incident.client, "samples": list(incident.samples),
                  "details": {f"{k}={v}": n for (k, v), n in incident.details.most_common(10) if k not in _LINKING_ONLY}}
    if links is not None:
        from bastion.logs.linking import annotate

        code, probed = annotate(incident, links)
        if code:
            properties["source"] = code
        if probed:
            severity = Severity.CRITICAL
            message += f"; probes {code['probed_weakness']} in {code['route']}"
        elif "route" in code:
            message += f"; route {code['route']}"
        if "logging_call" in code:
            message += f"; written by the logging call at {code['logging_call']}"
    return rule.finding(
        message, Location(incident.source, incident.line), severity=severity,
        snippet="\n".join(incident.samples[:1]), properties=properties,
        fingerprint_key=f"{incident.rule}\x1f{incident.client}",
        incident=Incident(incident.rule, incident.client, iso(incident.first), iso(incident.last), incident.count, lines),
    )
