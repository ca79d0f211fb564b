"""From a pinned package to what is known against it: merged advisories and the smallest fixing upgrade."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bastion.deps import osv, versions

_RANK = {"critical": 4, "high": 3, "medium": 2, "low": 1, "info": 0}


@dataclass(frozen=True)
class Vulnerability:
    """Advisories that describe one weakness (their ids and aliases overlap), merged."""

    id: str
    ids: tuple[str, ...]  # every record id of the group
    aliases: tuple[str, ...]  # every other name: CVE, GHSA, PYSEC...
    summary: str
    severity: str | None
    cvss_score: float | None
    cvss_vector: str | None
    fixed: tuple[str, ...]
    references: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "ids": list(self.ids),
            "aliases": list(self.aliases),
            "summary": self.summary,
            "severity": self.severity,
            "cvss_score": self.cvss_score,
            "cvss_vector": self.cvss_vector,
            "fixed": list(self.fixed),
            "references": list(self.references),
        }


def _groups(records: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Records whose ids or aliases overlap, grouped (union-find over names)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for record in records:
        for alias in record.get("aliases") or []:
            if isinstance(alias, str):
                parent[find(alias)] = find(record["id"])
    grouped: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        grouped.setdefault(find(record["id"]), []).append(record)
    return list(grouped.values())


def _merge(group: list[dict[str, Any]], ecosystem: str, name: str) -> Vulnerability:
    ids = {r["id"] for r in group}
    names = ids | {a for r in group for a in r.get("aliases") or [] if isinstance(a, str)}
    primary = sorted(ids)[0]  # a record's own id; the other names become aliases
    severities = [s for s in (osv.severity_of(r) for r in group) if s is not None]
    worst = max(severities, key=lambda s: (_RANK[s.level], s.score or 0), default=None)
    fixed: list[str] = []
    for record in group:
        fixed.extend(v for v in osv.fixed_versions(record, ecosystem, name) if v not in fixed)
    summary = next((osv.summary_of(r) for r in group if osv.summary_of(r)), "")
    refs = sorted({ref["url"] for r in group for ref in r.get("references") or [] if isinstance(ref, dict) and isinstance(ref.get("url"), str)})
    return Vulnerability(
        id=primary,
        ids=tuple(sorted(ids)),
        aliases=tuple(sorted(names - {primary})),
        summary=summary,
        severity=worst.level if worst else None,
        cvss_score=worst.score if worst else None,
        cvss_vector=worst.vector if worst else None,
        fixed=tuple(fixed),
        references=tuple(refs[:10]),
    )


def find(records: list[dict[str, Any]], ecosystem: str, name: str, version: str) -> list[Vulnerability]:
    """The merged vulnerabilities affecting ``name`` at ``version``, sorted by id."""
    hits = [r for r in records if osv.affects(r, ecosystem, name, version)]
    return sorted((_merge(g, ecosystem, name) for g in _groups(hits)), key=lambda v: v.id)


def smallest_upgrade(records: list[dict[str, Any]], ecosystem: str, name: str, version: str) -> str | None:
    """The lowest version above ``version`` that no advisory of the package affects, among the fixed versions named.

    Pre-releases are candidates only when ``version`` is one. None when no
    named fixed version escapes every advisory.
    """
    current = versions.try_parse(ecosystem, version)
    if current is None:
        return None
    candidates = {}
    for record in records:
        if record.get("withdrawn"):
            continue
        for text in osv.fixed_versions(record, ecosystem, name):
            parsed = versions.try_parse(ecosystem, text)
            if parsed is not None and parsed > current and (current.is_prerelease or not parsed.is_prerelease):
                candidates.setdefault(parsed, text)
    for parsed in sorted(candidates):
        text = candidates[parsed]
        if not any(osv.affects(r, ecosystem, name, text) for r in records):
            return text
    return None
