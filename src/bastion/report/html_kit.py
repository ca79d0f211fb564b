"""The pieces every Bastion HTML page is made of: one stylesheet, one script, SVG charts, code frames.

Filters and the sort order can be preset from the address
(``report.html#text=shell&kind=http&sort=risk&order=desc``),
so a link can point a colleague at a filtered view.

Pages are single files that work offline: CSS, JavaScript and SVG are inline,
and a Content-Security-Policy forbids every fetch, so a report opened from a
CI artefact or an e-mail cannot call anywhere. Every piece of scanned text is
HTML-escaped after the control and bidi characters are made visible.
"""

from __future__ import annotations

import html

from bastion.report.sanitize import one_line, printable

CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"
SEVERITY_COLORS = {"critical": "#7f1d1d", "high": "#c2410c", "medium": "#a16207", "low": "#1d4ed8", "info": "#6b7280"}
PALETTE = ("#2563eb", "#dc2626", "#059669", "#d97706", "#7c3aed", "#db2777", "#0891b2", "#65a30d", "#ea580c", "#4b5563")

STYLE = """
:root{--bg:#f8fafc;--card:#fff;--ink:#0f172a;--muted:#64748b;--line:#e2e8f0;--accent:#2563eb}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:var(--bg);color:var(--ink)}
header{background:#0f172a;color:#fff;padding:18px 28px}header h1{margin:0;font-size:20px}header p{margin:4px 0 0;color:#cbd5e1}
main{padding:20px 28px;max-width:1500px}section{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:16px 18px;margin:0 0 18px}
h2{font-size:16px;margin:0 0 12px}h3{font-size:14px;margin:14px 0 6px}
.stats{display:flex;gap:12px;flex-wrap:wrap}.stat{border:1px solid var(--line);border-radius:8px;padding:8px 14px;min-width:120px}
.stat b{display:block;font-size:22px}.stat span{color:var(--muted);font-size:12px}
.charts{display:flex;gap:24px;flex-wrap:wrap}.chart{flex:1 1 320px}.chart svg{width:100%;height:auto}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}
th{cursor:pointer;user-select:none;background:#f1f5f9;position:sticky;top:0}th[data-sort]::after{content:" \\2195";color:var(--muted)}
th.asc::after{content:" \\2191"}th.desc::after{content:" \\2193"}tr.hidden{display:none}
.filters{display:flex;gap:8px;flex-wrap:wrap;margin:0 0 10px}.filters input,.filters select{padding:5px 8px;border:1px solid var(--line);border-radius:6px;font:inherit}
.filters input{min-width:280px}
.chip{display:inline-block;border-radius:10px;padding:0 7px;margin:1px 2px;font-size:12px;background:#eef2ff;color:#3730a3;white-space:nowrap}
.chip.guard{background:#ecfdf5;color:#065f46}.chip.none{background:#fef2f2;color:#991b1b}.chip.reach{background:#fff7ed;color:#9a3412}
.sev{display:inline-block;border-radius:4px;padding:0 6px;color:#fff;font-size:12px;font-weight:600;text-transform:uppercase}
.score{font-weight:700}.score.high{color:#b91c1c}.score.medium{color:#a16207}.score.low{color:#15803d}
.status{font-size:11px;border:1px solid var(--line);border-radius:8px;padding:0 6px;color:var(--muted)}
.status.new,.status.changed{border-color:#f59e0b;color:#92400e;background:#fffbeb}
.item,.finding{border:1px solid var(--line);border-left:4px solid var(--muted);border-radius:6px;padding:10px 12px;margin:0 0 10px}
.item p,.finding p{margin:4px 0}.q{font-weight:600}.muted{color:var(--muted)}code{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace}
pre.frame{background:#0f172a;color:#e2e8f0;border-radius:6px;padding:8px 0;overflow:auto;margin:6px 0}
pre.frame span{display:block;padding:0 10px;white-space:pre}pre.frame span.hit{background:#7c2d12}pre.frame i{color:#64748b;font-style:normal;display:inline-block;width:4.5em}
#graph svg{width:100%;height:auto}#graph .edge{fill:none;stroke-opacity:.55;stroke-width:1.4}#graph .dim{opacity:.08}
#graph text{font-size:11px;fill:#0f172a}a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
footer{color:var(--muted);font-size:12px;padding:0 28px 20px}
"""

SCRIPT = """
(function(){
  function cell(row,i){var c=row.children[i];return c?(c.getAttribute('data-value')||c.textContent.trim()):'';}
  document.querySelectorAll('table.sortable').forEach(function(table){
    table.querySelectorAll('th[data-sort]').forEach(function(th,i){
      th.addEventListener('click',function(){
        var body=table.tBodies[0],rows=Array.prototype.slice.call(body.rows),asc=!th.classList.contains('asc');
        table.querySelectorAll('th').forEach(function(h){h.classList.remove('asc','desc');});
        th.classList.add(asc?'asc':'desc');
        var numeric=th.getAttribute('data-sort')==='num';
        rows.sort(function(a,b){var x=cell(a,i),y=cell(b,i);
          var r=numeric?(parseFloat(x)||0)-(parseFloat(y)||0):x.localeCompare(y);return asc?r:-r;});
        rows.forEach(function(r){body.appendChild(r);});
      });
    });
  });
  var boxes=document.querySelectorAll('[data-filter]');
  function apply(){
    var shown={};
    document.querySelectorAll('table.filterable tbody tr').forEach(function(row){
      var ok=true;
      boxes.forEach(function(box){
        var v=box.value.trim().toLowerCase();if(!v)return;
        var field=box.getAttribute('data-filter');
        var text=(field==='text'?row.textContent:(row.getAttribute('data-'+field)||'')).toLowerCase();
        if(field==='text'){if(text.indexOf(v)<0)ok=false;}
        else if((' '+text+' ').indexOf(' '+v+' ')<0)ok=false;
      });
      row.classList.toggle('hidden',!ok);
      if(ok&&row.id)shown[row.id]=1;
    });
    document.querySelectorAll('#graph [data-entry]').forEach(function(n){n.classList.toggle('dim',!shown[n.getAttribute('data-entry')]);});
    var count=document.getElementById('shown');if(count)count.textContent=Object.keys(shown).length;
  }
  boxes.forEach(function(b){b.addEventListener('input',apply);b.addEventListener('change',apply);});
  var wanted=new URLSearchParams(location.hash.slice(1));
  boxes.forEach(function(b){var v=wanted.get(b.getAttribute('data-filter'));if(v!==null)b.value=v;});
  var sort=wanted.get('sort');
  if(sort){document.querySelectorAll('table.sortable th[data-sort]').forEach(function(th){
    if(th.textContent.trim().toLowerCase()===sort.toLowerCase()){th.click();if(wanted.get('order')==='desc')th.click();}});}
  apply();
})();
"""


def esc(text: object) -> str:
    """Scanned text for an HTML element or attribute: controls and bidi made visible, then escaped."""
    return html.escape(one_line(str(text)), quote=True)


def esc_block(text: str) -> str:
    return html.escape(printable(text), quote=True)


def page(title: str, subtitle: str, body: str) -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>{esc(title)}</title><style>{STYLE}</style></head><body>"
        f"<header><h1>{esc(title)}</h1><p>{esc(subtitle)}</p></header><main>{body}</main>"
        f"<footer>Generated by Bastion. Self-contained: this page loads nothing from the network.</footer>"
        f"<script>{SCRIPT}</script></body></html>\n"
    )


def severity_badge(severity: str) -> str:
    return f'<span class="sev" style="background:{SEVERITY_COLORS.get(severity, "#6b7280")}">{esc(severity)}</span>'


def stat(value: object, label: str) -> str:
    return f'<div class="stat"><b>{esc(value)}</b><span>{esc(label)}</span></div>'


def bar_chart(title: str, rows: list[tuple[str, dict[str, int]]], series: list[str], colors: dict[str, str] | None = None) -> str:
    """A horizontal stacked bar chart in SVG: one bar per row, one segment per series value."""
    colors = colors or {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(series)}
    width, label_w, bar_h, gap = 520, 190, 18, 8
    total_max = max([sum(values.values()) for _, values in rows] + [1])
    height = 30 + len(rows) * (bar_h + gap) + 24
    parts = [f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="{esc(title)}"><text x="0" y="14" font-weight="600">{esc(title)}</text>']
    for index, (label, values) in enumerate(rows):
        y = 26 + index * (bar_h + gap)
        parts.append(f'<text x="0" y="{y + 13}">{esc(label[:30])}</text>')
        x = label_w
        for name in series:
            count = values.get(name, 0)
            if not count:
                continue
            w = max(2, (width - label_w - 40) * count / total_max)
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colors[name]}"><title>{esc(label)}: {count} {esc(name)}</title></rect>')
            x += w
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 13}" fill="#64748b">{sum(values.values())}</text>')
    legend_y = height - 8
    lx = 0
    for name in series:
        parts.append(f'<rect x="{lx}" y="{legend_y - 9}" width="10" height="10" fill="{colors[name]}"/><text x="{lx + 14}" y="{legend_y}">{esc(name)}</text>')
        lx += 16 + 7 * len(name) + 14
    parts.append("</svg>")
    return "".join(parts)


def code_frame(lines: list[tuple[int, str]], hit: int) -> str:
    """Numbered lines with the line of interest marked."""
    if not lines:
        return ""
    rows = "".join(f'<span class="{"hit" if n == hit else ""}"><i>{n}</i>{esc_block(text)}</span>' for n, text in lines)
    return f'<pre class="frame"><code>{rows}</code></pre>'
