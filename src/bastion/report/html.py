"""A findings report as one self-contained HTML page: counts, charts by severity and engine, a table that filters and sorts, code.

The same look as ``bastion audit``'s review map (:mod:`.html_kit`). Code
frames come from what the findings carry (the snippet and the trace's
steps): a report never reads the scanned files again.
"""

from __future__ import annotations

from collections import Counter

from bastion.core.model import Finding
from bastion.report.html_kit import SEVERITY_COLORS, bar_chart, esc, page, severity_badge, stat
from bastion.report.labels import SEVERITIES, sorted_findings
from bastion.core.result import Report


def render(report: Report) -> str:
    findings = sorted_findings(report)
    counts = report.counts_by_severity()
    engines = Counter(f.engine for f in findings)
    body = ['<section><h2>Summary</h2><div class="stats">', stat(len(findings), "findings")]
    body += [stat(counts.get(s.value, 0), s.value) for s in SEVERITIES]
    body.append(stat(report.stats.files_scanned, "files scanned"))
    body.append("</div></section>")
    by_engine = [(engine, dict(Counter(f.severity.value for f in findings if f.engine == engine))) for engine in sorted(engines)]
    severities = [s.value for s in SEVERITIES]
    body.append('<section><h2>Charts</h2><div class="charts"><div class="chart">')
    body.append(bar_chart("Findings by severity", [(s, {s: counts.get(s, 0)}) for s in severities], severities, SEVERITY_COLORS))
    body.append('</div><div class="chart">')
    body.append(bar_chart("Findings by engine", by_engine, severities, SEVERITY_COLORS))
    body.append("</div></div></section>")
    body.append(_table(findings))
    body.append("<section><h2>Details</h2>")
    body.extend(_finding(i, f) for i, f in enumerate(findings))
    body.append("</section>")
    subtitle = f"{report.root} · {len(findings)} findings · Bastion {report.tool_version}".strip()
    return page("Bastion findings", subtitle, "".join(body))


def _table(findings: list[Finding]) -> str:
    rows = []
    for i, f in enumerate(findings):
        rank = f.severity.rank
        rows.append(f'<tr id="f{i}" data-severity="{esc(f.severity.value)}" data-engine="{esc(f.engine)}">'
                    f'<td data-value="{rank}">{severity_badge(f.severity.value)}</td><td>{esc(f.rule_id)}</td>'
                    f'<td><a href="#d{i}">{esc(f.location.path)}:{f.location.line}</a></td><td>{esc(f.title)}</td><td>{esc(f.engine)}</td></tr>')
    options = "".join(f'<option value="{s.value}">{s.value}</option>' for s in SEVERITIES)
    return ('<section><h2>Findings (<span id="shown">0</span> shown)</h2><div class="filters">'
            '<input data-filter="text" placeholder="Filter: rule, file, title…" aria-label="filter findings">'
            f'<select data-filter="severity" aria-label="severity"><option value="">any severity</option>{options}</select></div>'
            '<table class="sortable filterable" id="findings"><thead><tr><th data-sort="num">Severity</th><th data-sort="text">Rule</th>'
            '<th data-sort="text">Location</th><th data-sort="text">Title</th><th data-sort="text">Engine</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></section>')


def _finding(i: int, f: Finding) -> str:
    color = SEVERITY_COLORS.get(f.severity.value, "#6b7280")
    parts = [f'<div class="finding" id="d{i}" style="border-left-color:{color}"><p>{severity_badge(f.severity.value)} <b>{esc(f.title)}</b> '
             f'<code>{esc(f.rule_id)}</code> {"".join(f"<span class=chip>CWE-{c}</span>" for c in f.cwe)}</p>',
             f'<p class="muted">{esc(f.location.path)}:{f.location.line}</p><p>{esc(f.message)}</p>']
    if f.snippet:
        parts.append(f'<pre class="frame"><code><span class="hit"><i>{f.location.line}</i>{esc(f.snippet)}</span></code></pre>')
    if f.trace:
        steps = "".join(f"<li><code>{esc(s.location.path)}:{s.location.line}</code> {esc(s.note)}</li>" for s in f.trace[:30])
        parts.append(f"<details><summary>Flow ({len(f.trace)} steps)</summary><ol>{steps}</ol></details>")
    if f.fix_guidance:
        parts.append(f'<p class="muted">Fix: {esc(f.fix_guidance)}</p>')
    parts.append("</div>")
    return "".join(parts)
