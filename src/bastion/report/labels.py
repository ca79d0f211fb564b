"""How findings are named in the human-readable formats (text, Markdown, JUnit).

One place decides what "where" and "how many" look like, so the terminal,
the pull-request comment and the CI test report agree with each other.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from bastion.core.model import Finding, Location, Note, Severity
from bastion.core.result import Report
from bastion.report.sanitize import one_line

#: Severities from worst to mildest: the order every summary lists them in.
SEVERITIES = sorted(Severity, key=lambda s: -s.rank)


def location_label(location: Location) -> str:
    """``path:line:column``, the form editors and terminals turn into a link."""
    return one_line(f"{location.path}:{location.line}:{location.column}")


def where(finding: Finding) -> str:
    """Where a finding is: its endpoint for a runtime finding, else its file position."""
    if finding.endpoint is not None:
        ep = finding.endpoint
        param = f" (parameter {ep.parameter})" if ep.parameter else ""
        return one_line(f"{ep.method} {ep.url}{param}")
    return location_label(finding.location)


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def note_label(note: Note) -> str:
    """``kind: path: message``; the path is left out when the message already names it."""
    path = f"{note.path}: " if note.path and note.path not in note.message else ""
    return one_line(f"{note.kind}: {path}{note.message}")


def severity_summary(report: Report) -> str:
    """``3 findings (1 high, 2 medium)``, or ``no findings``."""
    total = len(report.findings)
    if total == 0:
        return "no findings"
    counts = report.counts_by_severity()
    parts = ", ".join(f"{counts[s.value]} {s.value}" for s in SEVERITIES if counts[s.value])
    return f"{plural(total, 'finding')} ({parts})"


def filtered_summary(report: Report) -> list[tuple[str, int]]:
    """What the filters held back, as (label, count) pairs, only the non-zero ones."""
    pairs = [
        ("suppressed", report.suppressed),
        ("baselined", report.baselined),
        ("below threshold", report.below_threshold),
        ("outside diff", report.outside_diff),
    ]
    return [(label, count) for label, count in pairs if count]


def sorted_findings(report: Report) -> list[Finding]:
    """Findings in report order (path, line, column, rule), whatever order the caller built them in."""
    return sorted(report.findings, key=Finding.sort_key)


def by_file(report: Report) -> dict[str, list[Finding]]:
    """Findings grouped by file (runtime findings by URL), groups and members in report order."""
    groups: dict[str, list[Finding]] = defaultdict(list)
    for finding in sorted_findings(report):
        key = finding.endpoint.url if finding.endpoint is not None else finding.location.path
        groups[key].append(finding)
    return dict(sorted(groups.items()))


#: Engines whose findings repeat per service, server or job of one file (the same hardening rule on every
#: service of a compose file): the human formats show each rule once per file with the list of places.
GROUPED_ENGINES = frozenset({"config_audit"})


@dataclass(frozen=True)
class Entry:
    """A finding as the human formats list it: the first of its rule in the file, and the repeats it stands for."""

    finding: Finding
    repeats: tuple[Finding, ...] = ()

    @property
    def places(self) -> tuple[Finding, ...]:
        return (self.finding, *self.repeats)


def collapse_repeats(findings: list[Finding]) -> list[Entry]:
    """Findings in their order, a configuration rule's repeats in one file (same severity) folded into the first.

    SARIF, JSON and JUnit keep one result per location; this is for readers, not for tools.
    """
    entries: list[Entry] = []
    first: dict[tuple[str, str, str], int] = {}
    for finding in findings:
        key = (finding.rule_id, finding.location.path, finding.severity.value)
        if finding.engine in GROUPED_ENGINES and finding.endpoint is None and key in first:
            index = first[key]
            entries[index] = Entry(entries[index].finding, (*entries[index].repeats, finding))
            continue
        first.setdefault(key, len(entries))
        entries.append(Entry(finding))
    return entries


def place_label(finding: Finding) -> str:
    """``line 12: service web runs as root``: one place of a grouped rule."""
    return one_line(f"line {finding.location.line}: {finding.message}")
