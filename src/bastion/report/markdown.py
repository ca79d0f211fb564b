"""Markdown for a pull-request comment: counts first, then findings by severity, details folded.

A PR comment is read by people who did not run the scan, on a page that
renders HTML: every piece of scanned text is escaped (no injected links,
mentions, HTML or broken tables), code goes in fences longer than any
backtick run it contains, and the whole comment stays under GitHub's
65,536-character limit by listing the worst findings first and counting the
rest.
"""

from __future__ import annotations

from bastion.core.model import Finding, Severity
from bastion.core.result import Report
from bastion.report.labels import (
    SEVERITIES,
    Entry,
    collapse_repeats,
    filtered_summary,
    location_label,
    note_label,
    place_label,
    plural,
    severity_summary,
    sorted_findings,
    where,
)
from bastion.report.sanitize import one_line, printable

#: GitHub rejects comments longer than 65,536 characters; keep a margin for what a bot adds around ours.
MAX_CHARS = 64_000
#: A single finding may not take more than this; beyond it the folded details are dropped.
MAX_FINDING_CHARS = 6_000
MAX_SNIPPET_LINES = 15
MAX_TRACE_STEPS = 30
#: Longest piece of free text (message, note, code line) quoted as is; longer ones are clipped.
MAX_TEXT = 1_000
MAX_NOTES = 30

ICONS = {
    Severity.CRITICAL: "🔴",
    Severity.HIGH: "🟠",
    Severity.MEDIUM: "🟡",
    Severity.LOW: "🔵",
    Severity.INFO: "⚪",
}
#: ASCII punctuation that means something to GitHub-flavoured Markdown (or makes a mention); CommonMark
#: lets any of it be backslash-escaped.
_ESCAPES = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()<>#+-.!|~&@=:$"})


def clip(text: str, limit: int = MAX_TEXT) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def inline(text: str) -> str:
    """Untrusted text as literal Markdown on one line, clipped."""
    return one_line(clip(text)).translate(_ESCAPES)


def _longest_backtick_run(text: str) -> int:
    longest = run = 0
    for char in text:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    return longest


def code_span(text: str) -> str:
    """Inline code that no backtick inside can close early."""
    text = one_line(clip(text))
    ticks = "`" * (_longest_backtick_run(text) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def code_block(text: str, language: str | None) -> str:
    lines = [clip(line) for line in printable(text).rstrip("\n").split("\n")]
    if len(lines) > MAX_SNIPPET_LINES:
        lines = lines[:MAX_SNIPPET_LINES] + [f"… {len(lines) - MAX_SNIPPET_LINES} more lines"]
    body = "\n".join(lines)
    fence = "`" * max(3, _longest_backtick_run(body) + 1)
    tag = "".join(c for c in (language or "") if c.isalnum())
    return f"{fence}{tag}\n{body}\n{fence}"


def _details(finding: Finding) -> str:
    """The folded part: code frame, data flow, fix; empty when there is none of them."""
    parts, contents = [], []
    if finding.snippet:
        parts.append(code_block(finding.snippet, finding.language))
        contents.append("code")
    if finding.trace:
        steps = "\n".join(
            f"{i}. **{inline(s.kind)}** {code_span(location_label(s.location))} {inline(s.note)}"
            for i, s in enumerate(finding.trace[:MAX_TRACE_STEPS], 1)
        )
        more = len(finding.trace) - MAX_TRACE_STEPS
        parts.append(f"Data flow:\n\n{steps}" + (f"\n\n… {more} more steps" if more > 0 else ""))
        contents.append("data flow")
    guidance = finding.fix_guidance or (finding.fix.description if finding.fix is not None else "")
    if guidance:
        parts.append(f"**Fix:** {inline(guidance)}")
        contents.append("fix")
    if not parts:
        return ""
    label = contents[0] if len(contents) == 1 else ", ".join(contents[:-1]) + " and " + contents[-1]
    return f"<details><summary>{label.capitalize()}</summary>\n\n" + "\n\n".join(parts) + "\n\n</details>"


def _indent(text: str) -> str:
    return "\n".join(("  " + line) if line else line for line in text.split("\n"))


def finding_block(entry: Entry | Finding) -> str:
    """One list item: rule, title, where; the message (or, for a rule repeated in a configuration file, every
    place it applies); metadata; then the folded details if they fit."""
    entry = entry if isinstance(entry, Entry) else Entry(entry)
    finding = entry.finding
    meta = [f"confidence {finding.confidence.value}", *(f"CWE-{c}" for c in finding.cwe)]
    if finding.owasp:
        meta.append(finding.owasp)
    lines = [f"- **{inline(finding.rule_id)}** {inline(finding.title)} at {code_span(where(finding))}"]
    if entry.repeats:
        lines.append(f"The same rule at {len(entry.places)} places in this file:<br>")
        lines.extend(f"• {inline(place_label(f))}<br>" for f in entry.places)
    elif finding.message:
        lines.append(inline(finding.message) + "<br>")
    lines.append(f"<sub>{inline(' · '.join(meta))}</sub>")
    block = "\n  ".join(lines)
    details = _details(finding)
    full = block + "\n\n" + _indent(details) if details else block
    return full if len(full) <= MAX_FINDING_CHARS else block


def _header(report: Report) -> str:
    counts = report.counts_by_severity()
    lines = [f"### Bastion: {severity_summary(report)}", ""]
    failing = len(report.failing())
    if report.fail_on is not None:
        verdict = "❌" if failing else "✅"
        lines += [f"{verdict} {failing} at or above the fail-on severity ({report.fail_on.value})", ""]
    lines += ["| Severity | Count |", "| --- | ---: |"]
    lines += [f"| {ICONS[s]} {s.value} | {counts[s.value]} |" for s in SEVERITIES]
    stats = report.stats
    facts = [f"{stats.files_scanned} files scanned"]
    engines = report.counts_by_engine()
    if engines:
        facts.append("by engine: " + ", ".join(f"{inline(e)} {n}" for e, n in engines.items()))
    facts += [f"{n} {label}" for label, n in filtered_summary(report)]
    lines += ["", " · ".join(facts)]
    return "\n".join(lines)


def _notes(report: Report) -> str:
    if not report.notes:
        return ""
    items = [f"- {inline(clip(note_label(n), 300))}" for n in report.notes[:MAX_NOTES]]
    if len(report.notes) > MAX_NOTES:
        items.append(f"- … {len(report.notes) - MAX_NOTES} more")
    return f"<details><summary>{plural(len(report.notes), 'note')}</summary>\n\n" + "\n".join(items) + "\n\n</details>"


def render(report: Report) -> str:
    header, notes = _header(report), _notes(report)
    budget = MAX_CHARS - len(header) - len(notes) - 200  # 200: the truncation line
    sections: list[str] = []
    shown = 0
    for severity in SEVERITIES:
        findings = [f for f in sorted_findings(report) if f.severity is severity]
        if not findings:
            continue
        title = f"#### {ICONS[severity]} {severity.value.capitalize()} ({len(findings)})"
        blocks = []
        entries = collapse_repeats(findings)
        for entry in entries:
            block = finding_block(entry)
            cost = len(block) + len(title) + 4
            if cost > budget:
                break
            budget -= len(block) + 2
            blocks.append(block)
            shown += len(entry.places)
        if blocks:
            budget -= len(title) + 2
            sections.append(title + "\n\n" + "\n\n".join(blocks))
        if len(blocks) < len(entries):
            break
    hidden = len(report.findings) - shown
    if hidden:
        sections.append(f"_… and {plural(hidden, 'more finding')} not shown here (comment size limit); see the full report._")
    return "\n\n".join(part for part in (header, *sections, notes) if part) + "\n"
