"""The terminal report: findings grouped by file, each with its code frame and data flow, then a summary.

Rendered with rich into a string, so the CLI can print it or write it to a
file alike. Every piece of scanned text goes in as a ``rich.text.Text`` (never
as markup, so ``[bold]`` in a snippet is just text) and through
:func:`~bastion.report.sanitize.printable` (so escape sequences in a snippet
cannot drive the terminal). The console ignores the environment (``COLUMNS``,
``NO_COLOR``...): colour and width are the caller's decision, and the output
is the same on every machine.
"""

from __future__ import annotations

import io

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.rule import Rule as Separator
from rich.table import Table
from rich.text import Text

from bastion.core.model import Finding, Note, Severity
from bastion.core.result import Report
from bastion.report.labels import (
    SEVERITIES,
    Entry,
    by_file,
    collapse_repeats,
    filtered_summary,
    location_label,
    note_label,
    place_label,
    plural,
    severity_summary,
    where,
)
from bastion.report.sanitize import one_line, printable

#: This format takes ``color`` and ``width`` (see :func:`bastion.report.render`).
STYLED = True
DEFAULT_WIDTH = 100
#: Longest code frame shown; the rest is elided (a finding points at a line, not a file).
MAX_SNIPPET_LINES = 12
#: Notes listed one by one; the rest are counted (the JSON report has them all).
MAX_NOTES = 20

SEVERITY_STYLES = {
    Severity.CRITICAL: "bold white on red",
    Severity.HIGH: "bold red",
    Severity.MEDIUM: "bold yellow",
    Severity.LOW: "bold cyan",
    Severity.INFO: "dim",
}
_NOTE_ORDER = {"failure": 0, "error": 1, "warning": 2, "skipped": 3}


def _indent(renderable: RenderableType, left: int = 4) -> Padding:
    return Padding(renderable, (0, 0, 0, left))


def _code_frame(finding: Finding) -> Text:
    """The snippet with line numbers from the finding's line, the reported line marked; long lines cropped.

    Plain ``Text`` rather than a table: a report of thousands of findings
    must not spend its time measuring columns.
    """
    lines = printable(finding.snippet).rstrip("\n").split("\n")
    first = finding.location.line
    shown = lines[:MAX_SNIPPET_LINES]
    digits = len(str(first + len(shown) - 1))
    frame = Text(no_wrap=True, overflow="ellipsis")
    for offset, line in enumerate(shown):
        number = first + offset
        marker = ">" if offset == 0 else " "
        frame.append(f"{marker} {number:>{digits}} │ ", style="dim")
        frame.append(line.expandtabs(4))
        frame.append("\n")
    if len(lines) > MAX_SNIPPET_LINES:
        frame.append(f"{' ' * (digits + 5)}… {len(lines) - MAX_SNIPPET_LINES} more lines\n", style="dim")
    frame.rstrip()
    return frame


def _trace(finding: Finding) -> Text:
    """Source -> steps -> sink, one line per hop."""
    flow = Text("data flow:", style="bold")
    kinds = [one_line(s.kind) for s in finding.trace]
    places = [location_label(s.location) for s in finding.trace]
    kind_width, place_width = max(map(len, kinds)), max(map(len, places))
    for kind, place, step in zip(kinds, places, finding.trace):
        flow.append("\n  ")
        flow.append(kind.ljust(kind_width), style="bold")
        flow.append(f"  {place.ljust(place_width)}  ", style="dim")
        flow.append(one_line(step.note))
    return flow


def _finding(entry: Entry, guidance_shown: set[tuple[str, int, str]]) -> RenderableType:
    """One finding (or a group of repeats); its fix guidance is said once per place (the advisories of
    one package share one upgrade)."""
    finding = entry.finding
    head = Text.assemble(
        (f" {finding.severity.value.upper()} ", SEVERITY_STYLES[finding.severity]),
        " ",
        (one_line(finding.rule_id), "bold"),
        "  ",
        one_line(finding.title),
    )
    parts: list[RenderableType] = [head]
    body: list[RenderableType] = [Text(where(finding), style="underline")]
    if finding.endpoint is not None and finding.location.path and "://" not in finding.location.path:
        body.append(Text(f"handled at {location_label(finding.location)}", style="dim"))
    if entry.repeats:
        body.append(Text(f"the same rule at {len(entry.places)} places in this file:", style="bold"))
        body.extend(_indent(Text(printable(place_label(f))), 2) for f in entry.places)
    elif finding.message:
        body.append(Text(printable(finding.message)))
    if finding.snippet:
        body.append(_code_frame(finding))
    if finding.trace:
        body.append(_trace(finding))
    guidance = finding.fix.description if finding.fix is not None and not finding.fix_guidance else finding.fix_guidance
    place = (finding.location.path, finding.location.line, guidance)
    if guidance and place in guidance_shown:
        body.append(Text.assemble(("fix: ", "bold green"), ("as above", "dim")))
    elif guidance:
        guidance_shown.add(place)
        body.append(Text.assemble(("fix: ", "bold green"), printable(guidance)))
    meta = [f"confidence {finding.confidence.value}", *(f"CWE-{c}" for c in finding.cwe), *finding.attack]
    if finding.owasp:
        meta.append(finding.owasp)
    if finding.fix is not None and finding.fix.edits:
        meta.append("auto-fix available")
    body.append(Text(one_line(" · ".join(meta)), style="dim"))
    parts.append(_indent(Group(*body), 3))
    return Group(*parts, Text(""))


def _counts_table(title: str, header: str, rows: list[tuple[Text | str, int]]) -> Table:
    table = Table(title=title, box=box.SIMPLE, title_justify="left", show_edge=False)
    table.add_column(header)
    table.add_column("Count", justify="right")
    for label, count in rows:
        table.add_row(label, str(count))
    return table


def _notes(notes: list[Note]) -> list[RenderableType]:
    ordered = sorted(notes, key=lambda n: _NOTE_ORDER.get(n.kind, 4))
    lines: list[RenderableType] = [Text("Notes:", style="bold")]
    for note in ordered[:MAX_NOTES]:
        style = {"failure": "bold red", "error": "red", "warning": "yellow"}.get(note.kind, "dim")
        lines.append(_indent(Text(note_label(note), style=style), 2))
    if len(ordered) > MAX_NOTES:
        lines.append(_indent(Text(f"… {len(ordered) - MAX_NOTES} more notes (the JSON report lists them all)"), 2))
    return lines


def _extra_summary(summary: dict) -> list[str]:
    """One line per entry of a command's own summary: ``name: value`` with mappings as ``key n, key n``."""
    lines = []
    for key, value in summary.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v}" for k, v in value.items()) or "(none)"
        lines.append(f"{key.replace('_', ' ').capitalize()}: {value}")
    return lines


def _summary(report: Report) -> list[RenderableType]:
    counts = report.counts_by_severity()
    severity_rows = [(Text(s.value, style=SEVERITY_STYLES[s]), counts[s.value]) for s in SEVERITIES]
    engine_rows: list[tuple[Text | str, int]] = [(one_line(e), n) for e, n in report.counts_by_engine().items()]
    tables = Table.grid(padding=(0, 4))
    tables.add_row(
        _counts_table("By severity", "Severity", severity_rows),
        _counts_table("By engine", "Engine", engine_rows or [("(none)", 0)]),
    )
    stats = report.stats
    files = f"Files: {stats.files_scanned} scanned, {stats.files_from_cache} from cache"
    skipped = sum(stats.skipped.values())
    if skipped:
        reasons = ", ".join(f"{one_line(str(r))} {n}" for r, n in sorted(stats.skipped.items(), key=lambda kv: str(kv[0])))
        files += f", {skipped} skipped ({reasons})"
    out: list[RenderableType] = [Separator("Summary", style="dim"), Text(f"Bastion: {severity_summary(report)}", style="bold")]
    failing = len(report.failing())
    if report.fail_on is not None and report.findings:
        out.append(Text(f"{failing} at or above the fail-on severity ({report.fail_on.value})",
                        style="bold red" if failing else "green"))
    out += [tables, Text(files)]
    out += [Text(one_line(line)) for line in _extra_summary(report.details)]
    filtered = filtered_summary(report)
    if filtered:
        out.append(Text("Not shown: " + ", ".join(f"{n} {label}" for label, n in filtered)))
    failures = report.failures()
    if failures:
        out.append(Text(f"Bastion could not finish {len(failures)} check(s) (exit 2): the findings above are not the "
                        "whole answer. Please report the failure notes below.", style="bold red"))
    incomplete = report.incomplete_paths()
    if incomplete:
        named = ", ".join(one_line(p) for p in incomplete[:MAX_NOTES])
        more = f" and {len(incomplete) - MAX_NOTES} more" if len(incomplete) > MAX_NOTES else ""
        consequence = "exit 2 (--strict)" if report.strict else "--strict makes this exit 2"
        out.append(Text(f"Incomplete analysis ({consequence}): {named}{more}", style="bold yellow"))
    if report.notes:
        out += _notes(report.notes)
    return out


def render(report: Report, *, color: bool = False, width: int | None = None) -> str:
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width or DEFAULT_WIDTH,
        force_terminal=color,
        color_system="standard" if color else None,
        no_color=not color,
        markup=False,
        emoji=False,
        highlight=False,
        legacy_windows=False,
        _environ={},
    )
    groups = by_file(report)
    if not groups:
        console.print(Text("No findings.", style="bold green"))
    for path, findings in groups.items():
        title = Text.assemble((one_line(path), "bold"), f"  ({plural(len(findings), 'finding')})")
        console.print(Separator(title, align="left", style="dim"))
        guidance_shown: set[tuple[str, int, str]] = set()
        for entry in collapse_repeats(findings):
            console.print(_finding(entry, guidance_shown))
    for renderable in _summary(report):
        console.print(renderable)
    # rich pads lines to the console width; a file or a CI log is better without trailing blanks.
    return "\n".join(line.rstrip(" ") for line in buffer.getvalue().split("\n"))
