"""``audit()``: the map, the review items, the SAST findings on each path, risk scores and what changed since the last review."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bastion.audit.build import AuditError, map_of
from bastion.audit.frames import build_frames
from bastion.audit.model import AppMap, EntryPoint
from bastion.audit.project import Project, load_project
from bastion.audit.review import AREAS, ReviewItem, review_items
from bastion.audit.risk import Risk, score
from bastion.audit.state import ReviewState, load_state
from bastion.core.model import Finding

#: The scan run beside the map: the code analysers whose findings sit on entry points' paths.
SAST_ENGINES = ["python", "javascript"]


@dataclass
class AuditResult:
    """Everything ``bastion audit`` reports; ``to_dict()`` is the JSON format."""

    app_map: AppMap
    items: list[ReviewItem]
    findings: list[Finding]
    links: dict[str, list[str]] = field(default_factory=dict)  # entry id -> fingerprints of findings on its path
    risks: dict[str, Risk] = field(default_factory=dict)
    state: ReviewState | None = None
    scan_error: str | None = None
    frames: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # "path:line" -> numbered lines (secrets redacted)

    def ranked(self) -> list[EntryPoint]:
        return sorted(self.app_map.entry_points, key=lambda e: (-self.risks[e.id].score, e.path, e.methods))

    def items_for(self, entry_id: str) -> list[ReviewItem]:
        return [i for i in self.items if i.entry == entry_id]

    def status(self, item: ReviewItem) -> str:
        return self.state.item_status(item) if self.state is not None else "new"

    def entry_status(self, entry: EntryPoint) -> str:
        return self.state.entry_status(entry) if self.state is not None else "new"

    def to_dict(self) -> dict[str, Any]:
        findings = {f.fingerprint: f for f in self.findings}
        return {
            "version": 1,
            "map": self.app_map.to_dict(),
            "areas": AREAS,
            "risk": {e.id: self.risks[e.id].to_dict() for e in self.ranked()},
            "review_items": [dict(i.to_dict(), status=self.status(i)) for i in self.items],
            "entry_status": {e.id: self.entry_status(e) for e in self.app_map.entry_points},
            "findings": [f.to_dict() for f in self.findings],
            "links": {k: [fp for fp in v if fp in findings] for k, v in self.links.items()},
            "reviewed_file": self.state.path if self.state is not None else None,
            "scan_error": self.scan_error,
        }


def audit(root: Path | str, *, config: Any = None, scan: bool = True, state_file: Path | str | None = None, jobs: int | None = None,
          use_cache: bool = True) -> AuditResult:
    """Build the map, run SAST beside it (unless ``scan`` is False), raise review items, score and compare with the review file.

    ``state_file`` defaults to ``.bastion-review.json`` at the root; it is read
    as untrusted data. A scan that fails is reported in ``scan_error``, never
    silently dropped.
    """
    root = Path(root)
    if not root.exists():
        raise AuditError(f"{root} does not exist")
    project = load_project(root, list(getattr(config, "exclude", None) or []))
    app_map = map_of(project)
    items = review_items(project, app_map)
    findings: list[Finding] = []
    scan_error = None
    if scan:
        from bastion.interfaces.api import scan as run_scan

        try:
            report = run_scan(root, config=config, engines=SAST_ENGINES, fail_on=None, jobs=jobs, use_cache=use_cache)
            findings = list(report.findings)
        except Exception as exc:  # the audit still shows the map; the report says the scan failed
            scan_error = f"{type(exc).__name__}: {exc}"
    state = load_state(root, state_file)
    result = AuditResult(app_map, items, findings, scan_error=scan_error, state=state)
    link(result, project)
    evidence = [e.location for i in items for e in i.evidence] + [f.location for f in findings]
    result.frames = build_frames(project, evidence)
    for entry in app_map.entry_points:
        on_path = [f for f in findings if f.fingerprint in result.links.get(entry.id, ())]
        result.risks[entry.id] = score(entry, result.items_for(entry.id), on_path)
    return result


def link(result: AuditResult, project: Project) -> None:
    """Findings inside an entry point's handler or the helpers it reaches belong to its path; items get those of their function."""
    by_path: dict[str, list[Finding]] = {}
    for finding in result.findings:
        by_path.setdefault(finding.location.path, []).append(finding)
    spans: dict[str, list[tuple[str, int, int]]] = {}
    for entry in result.app_map.entry_points:
        facts = project.handlers.get(entry.id)
        spans[entry.id] = [(r.source.path, r.node.span.line, r.node.span.end_line) for r in (facts.functions if facts else ())]
        linked = []
        for path, start, end in spans[entry.id]:
            linked.extend(f.fingerprint for f in by_path.get(path, ()) if start <= f.location.line <= end)
        result.links[entry.id] = list(dict.fromkeys(linked))
    for item in result.items:
        if not item.evidence:
            continue
        where = item.evidence[0].location
        for path, start, end in spans.get(item.entry or "", []):
            if path == where.path and start <= where.line <= end:
                item.findings = [f.fingerprint for f in by_path.get(path, ()) if start <= f.location.line <= end]
                break
