"""The review map as one self-contained HTML page.

Sections: summary counts; charts of review items per area and severity and
of entry points per operation reached; the route table (filter by text,
kind, framework, missing control; sort by any column; filters can be preset
from the address); a graph from entry points to the sensitive operations
they reach (dimmed with the table's filter); review items with their
question, evidence in code frames and linked findings; the findings.
"""

from __future__ import annotations

from collections import Counter

from bastion.audit.assess import AuditResult
from bastion.audit.catalog import CATEGORIES
from bastion.audit.model import EntryPoint
from bastion.audit.review import AREA_LABELS, AREAS, SEVERITIES, ReviewItem
from bastion.core.model import Finding
from bastion.report.html_kit import PALETTE, SEVERITY_COLORS, bar_chart, code_frame, esc, page, severity_badge, stat

MAX_GRAPH_ENTRIES = 80
CATEGORY_COLORS = {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(CATEGORIES)}


def render(result: AuditResult) -> str:
    ranked = result.ranked()
    ids = {e.id: f"e{i}" for i, e in enumerate(ranked)}
    findings = {f.fingerprint: f for f in result.findings}
    body = [_summary(result), _charts(result), _table(result, ranked, ids), _graph(ranked, ids), _items(result, ids, findings), _findings(result)]
    if result.app_map.notes:
        notes = "".join(f"<li>{esc(n)}</li>" for n in result.app_map.notes[:200])
        body.append(f"<section><h2>Notes</h2><ul>{notes}</ul></section>")
    subtitle = f"{result.app_map.root} · {len(ranked)} entry points · {len(result.items)} review items · {len(result.findings)} findings"
    return page("Bastion review map", subtitle, "".join(body))


def _summary(result: AuditResult) -> str:
    kinds = Counter(e.kind for e in result.app_map.entry_points)
    severities = Counter(i.severity for i in result.items)
    fresh = sum(1 for i in result.items if result.status(i) in ("new", "changed"))
    parts = ['<section><h2>Summary</h2><div class="stats">', stat(len(result.app_map.entry_points), "entry points")]
    parts += [stat(kinds[k], f"{k} entry points") for k in ("http", "cli", "queue", "schedule") if kinds[k]]
    parts += [stat(severities[s], f"{s} review items") for s in SEVERITIES]
    parts.append(stat(fresh, "new or changed since review"))
    parts.append(stat(len(result.findings), "SAST findings"))
    parts.append("</div>")
    if result.scan_error:
        parts.append(f'<p class="chip none">The SAST scan failed: {esc(result.scan_error)}. Findings are missing from this map.</p>')
    if result.state is not None and not result.state.exists:
        parts.append(f'<p class="muted">No review file ({esc(result.state.path)}) yet: every item is new.</p>')
    parts.append("</section>")
    return "".join(parts)


def _charts(result: AuditResult) -> str:
    by_area = [(AREA_LABELS[a], dict(Counter(i.severity for i in result.items if i.area == a))) for a in AREAS]
    reached = [(c, {"entry points": sum(1 for e in result.app_map.entry_points if c in e.categories())}) for c in CATEGORIES]
    finding_sev = Counter(f.severity.value for f in result.findings)
    sev_names = ["critical", "high", "medium", "low", "info"]
    return ('<section><h2>Charts</h2><div class="charts"><div class="chart" id="chart-areas">'
            + bar_chart("Review items by area and severity", by_area, list(SEVERITIES), SEVERITY_COLORS)
            + '</div><div class="chart" id="chart-reach">'
            + bar_chart("Entry points reaching each operation", [r for r in reached if r[1]["entry points"]], ["entry points"], {"entry points": "#ea580c"})
            + '</div><div class="chart" id="chart-findings">'
            + bar_chart("SAST findings by severity", [(s, {s: finding_sev.get(s, 0)}) for s in sev_names], sev_names, SEVERITY_COLORS)
            + "</div></div></section>")


def _missing(entry: EntryPoint) -> list[str]:
    kinds = entry.guard_kinds()
    missing = []
    if entry.kind == "http" and not kinds & {"authentication", "authorization"}:
        missing.append("auth")
    if entry.state_changing and "csrf" not in kinds:
        missing.append("csrf")
    if entry.kind == "http" and "rate-limit" not in kinds:
        missing.append("rate-limit")
    return missing


def _table(result: AuditResult, ranked: list[EntryPoint], ids: dict[str, str]) -> str:
    rows = []
    for entry in ranked:
        risk = result.risks[entry.id]
        items = result.items_for(entry.id)
        linked = result.links.get(entry.id, [])
        guards = "".join(f'<span class="chip guard" title="{esc(g.location.path)}:{g.location.line}">{esc(g.kind)}: {esc(g.name)}</span>' for g in entry.guards) or '<span class="chip none">none</span>'
        reaches = "".join(f'<span class="chip reach">{esc(c)}</span>' for c in sorted(entry.categories()))
        params = ", ".join(f"{p.name} ({p.location}{': ' + p.type if p.type else ''})" for p in entry.params[:12])
        status = result.entry_status(entry)
        rows.append(
            f'<tr id="{ids[entry.id]}" data-kind="{esc(entry.kind)}" data-framework="{esc(entry.framework)}" data-missing="{esc(" ".join(_missing(entry)))}" '
            f'data-reaches="{esc(" ".join(sorted(entry.categories())))}" data-path="{esc(entry.path)}" data-risk="{risk.score}">'
            f'<td data-value="{risk.score}" title="{esc("; ".join(f"{f}: +{p}" for f, p in risk.factors))}"><span class="score {risk.level}">{risk.score}</span></td>'
            f"<td>{esc(entry.kind)}</td><td>{esc(' '.join(entry.methods))}</td><td><code>{esc(entry.path)}</code></td>"
            f'<td><a href="#i-{ids[entry.id]}">{esc(entry.handler.name)}</a><br><span class="muted">{esc(entry.handler.path)}:{entry.handler.line}</span></td>'
            f"<td>{guards}</td><td>{esc(params)}</td><td>{reaches}</td><td data-value=\"{len(items)}\">{len(items)}</td>"
            f'<td data-value="{len(linked)}">{len(linked)}</td><td><span class="status {esc(status)}">{esc(status)}</span></td></tr>')
    kinds = sorted({e.kind for e in ranked})
    frameworks = sorted({e.framework for e in ranked})
    return ('<section><h2>Entry points (<span id="shown">0</span> shown)</h2><div class="filters">'
            '<input data-filter="text" placeholder="Filter: path, handler, guard, input…" aria-label="filter entry points">'
            + _select("kind", "any kind", kinds) + _select("framework", "any framework", frameworks)
            + _select("missing", "any controls", ["auth", "csrf", "rate-limit"], "missing ")
            + _select("reaches", "any operation", list(CATEGORIES), "reaches ")
            + '</div><table class="sortable filterable" id="routes"><thead><tr><th data-sort="num">Risk</th><th data-sort="text">Kind</th>'
            '<th data-sort="text">Methods</th><th data-sort="text">Path</th><th data-sort="text">Handler</th><th data-sort="text">Guards</th>'
            '<th data-sort="text">Inputs</th><th data-sort="text">Reaches</th><th data-sort="num">Items</th><th data-sort="num">Findings</th>'
            f'<th data-sort="text">Status</th></tr></thead><tbody>{"".join(rows)}</tbody></table></section>')


def _select(field: str, empty: str, values: list[str], prefix: str = "") -> str:
    options = "".join(f'<option value="{esc(v)}">{esc(prefix + v)}</option>' for v in values)
    return f'<select data-filter="{field}" aria-label="{field}"><option value="">{esc(empty)}</option>{options}</select>'


def _graph(ranked: list[EntryPoint], ids: dict[str, str]) -> str:
    entries = [e for e in ranked if e.reaches][:MAX_GRAPH_ENTRIES]
    categories = [c for c in CATEGORIES if any(c in e.categories() for e in entries)]
    if not entries:
        return '<section id="graph"><h2>Graph</h2><p class="muted">No entry point reaches a sensitive operation.</p></section>'
    row, left_w, right_x = 18, 330, 760
    height = max(len(entries), len(categories)) * row + 30
    cat_y = {c: 20 + (i + 0.5) * (height - 30) / len(categories) for i, c in enumerate(categories)}
    parts = [f'<svg viewBox="0 0 940 {height}" role="img" aria-label="entry points to sensitive operations">']
    for i, entry in enumerate(entries):
        y = 20 + i * row + row / 2
        label = f"{' '.join(entry.methods)} {entry.path}" if entry.kind == "http" else f"{entry.kind} {entry.path}"
        for category in sorted(entry.categories()):
            cy = cat_y[category]
            parts.append(f'<path class="edge" data-entry="{ids[entry.id]}" d="M{left_w},{y:.1f} C{left_w + 200},{y:.1f} {right_x - 200},{cy:.1f} {right_x},{cy:.1f}" '
                         f'stroke="{CATEGORY_COLORS[category]}"><title>{esc(label)} → {esc(category)}</title></path>')
        parts.append(f'<g class="node" data-entry="{ids[entry.id]}"><circle cx="{left_w}" cy="{y:.1f}" r="3.5" fill="#334155"/>'
                     f'<text x="{left_w - 8}" y="{y + 4:.1f}" text-anchor="end">{esc(label[:48])}</text></g>')
    for category in categories:
        cy = cat_y[category]
        parts.append(f'<g class="category"><circle cx="{right_x}" cy="{cy:.1f}" r="7" fill="{CATEGORY_COLORS[category]}"/>'
                     f'<text x="{right_x + 12}" y="{cy + 4:.1f}" font-weight="600">{esc(category)}</text></g>')
    parts.append("</svg>")
    more = len([e for e in ranked if e.reaches]) - len(entries)
    note = f'<p class="muted">The {MAX_GRAPH_ENTRIES} riskiest entry points are drawn; {more} more are in the table.</p>' if more > 0 else ""
    return f'<section id="graph"><h2>Graph: entry points → sensitive operations</h2>{"".join(parts)}{note}</section>'


def _items(result: AuditResult, ids: dict[str, str], findings: dict[str, Finding]) -> str:
    parts = ['<section id="items"><h2>Review items</h2>']
    entries = {e.id: e for e in result.app_map.entry_points}
    for area, title in AREAS.items():
        items = [i for i in result.items if i.area == area]
        if not items:
            continue
        parts.append(f"<h3>{esc(title)} ({len(items)})</h3>")
        parts.extend(_item(result, item, entries, ids, findings) for item in items)
    for entry in result.ranked():
        if not result.items_for(entry.id):
            parts.append(f'<a id="i-{ids[entry.id]}"></a>')
    parts.append("</section>")
    return "".join(parts)


def _item(result: AuditResult, item: ReviewItem, entries: dict[str, EntryPoint], ids: dict[str, str], findings: dict[str, Finding]) -> str:
    color = SEVERITY_COLORS[item.severity]
    anchor = f' id="i-{ids[item.entry]}"' if item.entry in ids and result.items_for(item.entry)[0] is item else ""
    status = result.status(item)
    entry = entries.get(item.entry or "")
    where = f'<a href="#{ids[item.entry]}">{esc(" ".join(entry.methods))} {esc(entry.path)}</a>' if entry else "project-wide"
    parts = [f'<div class="item"{anchor} style="border-left-color:{color}"><p>{severity_badge(item.severity)} <b>{esc(item.title)}</b> '
             + "".join(f'<span class="chip">{esc(c)}</span>' for c in item.cwe)
             + f' <span class="status {esc(status)}">{esc(status)}</span> <code class="muted">{esc(item.id)}</code></p>',
             f'<p class="q">{esc(item.question)}</p><p class="muted">Entry point: {where}</p>']
    for evidence in item.evidence:
        loc = evidence.location
        parts.append(f'<p class="muted">{esc(loc.path)}:{loc.line} — {esc(evidence.note)}</p>')
        parts.append(code_frame(result.frames.get(f"{loc.path}:{loc.line}", []), loc.line))
    linked = [findings[fp] for fp in item.findings if fp in findings]
    if linked:
        parts.append("<p>SAST findings here: " + ", ".join(f'<a href="#f-{esc(f.fingerprint)}">{esc(f.rule_id)} (line {f.location.line})</a>' for f in linked) + "</p>")
    parts.append("</div>")
    return "".join(parts)


def _findings(result: AuditResult) -> str:
    if not result.findings:
        return '<section id="findings"><h2>SAST findings</h2><p class="muted">None.</p></section>'
    parts = ['<section id="findings"><h2>SAST findings</h2>']
    for f in result.findings:
        color = SEVERITY_COLORS.get(f.severity.value, "#6b7280")
        parts.append(f'<div class="finding" id="f-{esc(f.fingerprint)}" style="border-left-color:{color}"><p>{severity_badge(f.severity.value)} '
                     f'<b>{esc(f.title)}</b> <code>{esc(f.rule_id)}</code></p><p class="muted">{esc(f.location.path)}:{f.location.line}</p><p>{esc(f.message)}</p>')
        parts.append(code_frame(result.frames.get(f"{f.location.path}:{f.location.line}", []), f.location.line))
        if f.trace:
            steps = "".join(f"<li><code>{esc(s.location.path)}:{s.location.line}</code> {esc(s.note)}</li>" for s in f.trace[:30])
            parts.append(f"<details><summary>Flow ({len(f.trace)} steps)</summary><ol>{steps}</ol></details>")
        parts.append("</div>")
    parts.append("</section>")
    return "".join(parts)
