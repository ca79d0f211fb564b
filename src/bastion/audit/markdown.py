"""The review map as Markdown: a ranked route table, then review items by area with their questions and evidence."""

from __future__ import annotations

from bastion.audit.assess import AuditResult
from bastion.audit.review import AREAS
from bastion.report.markdown import code_block, code_span, inline

MAX_ROUTES = 300


def render(result: AuditResult) -> str:
    app_map = result.app_map
    out = ["# Bastion review map", "",
           f"{len(app_map.entry_points)} entry points · {len(result.items)} review items · {len(result.findings)} SAST findings", ""]
    if result.scan_error:
        out += [f"**The SAST scan failed:** {inline(result.scan_error)}. Findings are missing.", ""]
    out += ["## Entry points (riskiest first)", "", "| Risk | Kind | Methods | Path | Handler | Guards | Reaches | Items | Status |",
            "|---:|---|---|---|---|---|---|---:|---|"]
    ranked = result.ranked()
    for entry in ranked[:MAX_ROUTES]:
        guards = ", ".join(f"{g.kind}: {g.name}" for g in entry.guards) or "**none**"
        out.append(f"| {result.risks[entry.id].score} | {entry.kind} | {' '.join(entry.methods)} | {code_span(entry.path)} | "
                   f"{code_span(entry.handler.name)} ({inline(entry.handler.path)}:{entry.handler.line}) | {inline(guards) if entry.guards else guards} | "
                   f"{inline(', '.join(sorted(entry.categories())))} | {len(result.items_for(entry.id))} | {result.entry_status(entry)} |")
    if len(ranked) > MAX_ROUTES:
        out.append(f"\n… {len(ranked) - MAX_ROUTES} more entry points in the HTML and JSON reports.")
    out.append("")
    for area, title in AREAS.items():
        items = [i for i in result.items if i.area == area]
        if not items:
            continue
        out += [f"## {title}", ""]
        for item in items:
            out.append(f"### {item.severity.upper()}: {inline(item.title)} ({', '.join(item.cwe)}) — {result.status(item)}")
            out += ["", f"**{inline(item.question)}**", ""]
            for evidence in item.evidence:
                out.append(f"- {code_span(f'{evidence.location.path}:{evidence.location.line}')} {inline(evidence.note)}")
                if evidence.code:
                    out += ["", code_block(evidence.code, None), ""]
            if item.findings:
                out.append(f"- SAST findings here: {len(item.findings)}")
            out += [f"- Item id: {code_span(item.id)}", ""]
    return "\n".join(out).rstrip() + "\n"
