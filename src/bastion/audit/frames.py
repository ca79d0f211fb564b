"""Code frames for the report: a few numbered lines around each piece of evidence, secrets blanked out.

A report travels further than the code (CI artefacts, tickets), so any
secret the secrets scanner recognises on a quoted line is replaced by
``‹redacted›`` before it is quoted, and only quoted lines are ever kept.
"""

from __future__ import annotations

from bastion.audit.project import Project
from bastion.core.model import Location

CONTEXT = 3
REDACTED = "‹redacted›"
MAX_LINE = 400


def build_frames(project: Project, locations: list[Location]) -> dict[str, list[tuple[int, str]]]:
    """``"path:line"`` -> numbered lines around it, for every location given."""
    from bastion.secrets import scan_text

    sources = {s.path: s for s in project.modules}
    wanted: dict[str, set[int]] = {}
    for loc in locations:
        if loc.path in sources:
            wanted.setdefault(loc.path, set()).add(loc.line)
    frames: dict[str, list[tuple[int, str]]] = {}
    for path, lines in wanted.items():
        source = sources[path]
        spans: dict[int, list[tuple[int, int]]] = {}
        for finding in scan_text(source.data, path):
            spans.setdefault(finding.location.line, []).append((finding.location.column, finding.location.end_column or finding.location.column))
        for line in lines:
            start, end = max(1, line - CONTEXT), min(len(source.lines), line + CONTEXT)
            frames[f"{path}:{line}"] = [(n, _redact(source.line(n), spans.get(n, ()))[:MAX_LINE]) for n in range(start, end + 1)]
    return frames


def _redact(text: str, spans) -> str:
    for start, end in sorted(spans, reverse=True):
        text = text[: start - 1] + REDACTED + text[end - 1 :]
    return text
