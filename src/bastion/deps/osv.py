"""OSV records: validation on the way in, and OSV's matching semantics on the way out.

A record is validated once, when it enters the database (:func:`validate`);
matching (:func:`affects`) follows the OSV schema: a version is affected if
it is listed in ``versions`` or falls inside an ECOSYSTEM/SEMVER range, where
a range is its ``events`` sorted by version and walked in order
(``introduced`` opens, ``fixed``/``limit`` close at the version,
``last_affected`` closes after it). GIT ranges name commits and are ignored.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Any

from bastion.deps import versions
from bastion.deps.cvss import vector_severity

_RANGE_TYPES = {versions.PYPI: ("ECOSYSTEM",), versions.NPM: ("SEMVER", "ECOSYSTEM")}
_GHSA_SEVERITY = {"CRITICAL": "critical", "HIGH": "high", "MODERATE": "medium", "MEDIUM": "medium", "LOW": "low"}


class InvalidRecord(ValueError):
    """An OSV record that does not follow the schema closely enough to be used."""


def validate(record: Any) -> dict[str, Any]:
    """Check the fields the audit relies on; return the record or raise :class:`InvalidRecord`."""
    if not isinstance(record, dict):
        raise InvalidRecord("an OSV record is a JSON object")
    ident = record.get("id")
    if not isinstance(ident, str) or not ident or len(ident) > 200:
        raise InvalidRecord("'id' must be a non-empty string")
    if not isinstance(record.get("modified"), str):
        raise InvalidRecord(f"{ident}: 'modified' must be a timestamp string")
    for key in ("aliases", "affected", "severity", "references"):
        if not isinstance(record.get(key, []), list):
            raise InvalidRecord(f"{ident}: '{key}' must be a list")
    for affected in record.get("affected", []):
        package = affected.get("package") if isinstance(affected, dict) else None
        if not isinstance(package, dict) or not isinstance(package.get("name"), str):
            raise InvalidRecord(f"{ident}: every 'affected' entry needs package.name")
        if not isinstance(affected.get("ranges", []), list) or not isinstance(affected.get("versions", []), list):
            raise InvalidRecord(f"{ident}: 'ranges' and 'versions' must be lists")
        if not all(isinstance(v, str) for v in affected.get("versions", [])):
            raise InvalidRecord(f"{ident}: 'versions' must list strings")
        for rng in affected.get("ranges", []):
            if not isinstance(rng, dict) or not isinstance(rng.get("events"), list):
                raise InvalidRecord(f"{ident}: every range needs a list of 'events'")
            for event in rng["events"]:
                if not isinstance(event, dict) or not all(isinstance(v, str) for v in event.values()):
                    raise InvalidRecord(f"{ident}: range events map a kind to a version string")
    _check_storable(record, ident)
    return record


def _check_storable(record: dict[str, Any], ident: str) -> None:
    """The record must be text the database, the reports and a terminal can hold: JSON escapes let a
    record carry a lone surrogate (``"\\ud800"``) that no UTF-8 encoder accepts, and nesting deep
    enough to exhaust the stack of whatever walks it later."""
    try:
        json.dumps(record, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidRecord(f"{ident.encode('utf-8', 'backslashreplace').decode()}: text that is not valid "
                            "Unicode (a lone surrogate)") from None
    except (RecursionError, ValueError):
        raise InvalidRecord(f"{ident.encode('utf-8', 'backslashreplace').decode()}: nested too deeply") from None


def packages_of(record: dict[str, Any]) -> set[tuple[str, str]]:
    """(ecosystem, normalized name) pairs the record affects, for the index; other ecosystems dropped."""
    out = set()
    for affected in record.get("affected", []):
        package = affected["package"]
        ecosystem = package.get("ecosystem", "")
        if ecosystem in versions.ECOSYSTEMS:
            out.add((ecosystem, versions.normalize_name(ecosystem, package["name"])))
    return out


def _in_range(ecosystem: str, version: Any, events: list[dict[str, str]]) -> bool:
    ordered = []
    for event in events:
        for kind, text in event.items():
            if kind == "introduced" and text == "0":
                ordered.append((0, None, kind))
                continue
            parsed = versions.try_parse(ecosystem, text)
            if parsed is None:
                return False  # a range we cannot read must not claim a version
            ordered.append((1, parsed, kind))
    ordered.sort(key=lambda item: (1, item[1]) if item[0] else (0,))  # '0' first, then by version
    affected = False
    for _, bound, kind in ordered:
        if kind == "introduced":
            if bound is None or version >= bound:
                affected = True
        elif kind in ("fixed", "limit"):
            if version >= bound:
                affected = False
        elif kind == "last_affected":
            if version > bound:
                affected = False
    return affected


def _entries(record: dict[str, Any], ecosystem: str, name: str):
    for affected in record.get("affected", []):
        package = affected["package"]
        if package.get("ecosystem") == ecosystem and versions.normalize_name(ecosystem, package["name"]) == name:
            yield affected


def affects(record: dict[str, Any], ecosystem: str, name: str, version_text: str) -> bool:
    """Whether ``name`` at ``version_text`` is affected; withdrawn records affect nothing."""
    if record.get("withdrawn"):
        return False
    version = versions.try_parse(ecosystem, version_text)
    for affected in _entries(record, ecosystem, name):
        listed = affected.get("versions", [])
        if version_text in listed:
            return True
        if version is None:
            continue
        for rng in affected.get("ranges", []):
            if rng.get("type") in _RANGE_TYPES[ecosystem] and _in_range(ecosystem, version, rng["events"]):
                return True
        if listed and version in _parsed_list(ecosystem, tuple(listed)):
            return True  # the same version spelled differently: 1.0 == 1.0.0 under PEP 440
    return False


@functools.lru_cache(maxsize=4096)
def _parsed_list(ecosystem: str, listed: tuple[str, ...]) -> frozenset:
    return frozenset(p for p in (versions.try_parse(ecosystem, v) for v in listed) if p is not None)


def fixed_versions(record: dict[str, Any], ecosystem: str, name: str) -> list[str]:
    """Every ``fixed`` version the record names for the package, in the order given."""
    out: list[str] = []
    for affected in _entries(record, ecosystem, name):
        for rng in affected.get("ranges", []):
            if rng.get("type") in _RANGE_TYPES[ecosystem]:
                out.extend(e["fixed"] for e in rng["events"] if "fixed" in e and e["fixed"] not in out)
    return out


@dataclass(frozen=True)
class SeverityInfo:
    level: str  # critical/high/medium/low/info
    score: float | None
    vector: str | None


def severity_of(record: dict[str, Any]) -> SeverityInfo | None:
    """The worst severity the record states: CVSS vectors first, then the database's own rating."""
    best: SeverityInfo | None = None
    rank = {"critical": 4, "high": 3, "medium": 2, "low": 1, "info": 0}
    for entry in record.get("severity", []):
        if not isinstance(entry, dict):
            continue
        try:
            level, score = vector_severity(str(entry.get("type")), str(entry.get("score", "")))
        except ValueError:
            continue
        if best is None or rank[level] > rank[best.level]:
            best = SeverityInfo(level, score, entry.get("score"))
    if best is not None:
        return best
    specific = record.get("database_specific")
    if isinstance(specific, dict) and str(specific.get("severity", "")).upper() in _GHSA_SEVERITY:
        return SeverityInfo(_GHSA_SEVERITY[str(specific["severity"]).upper()], None, None)
    return None


def summary_of(record: dict[str, Any]) -> str:
    """A one-line summary: ``summary`` when present, else the first sentence of ``details``."""
    text = record.get("summary") or ""
    if not text:
        details = str(record.get("details") or "").strip()
        text = details.split("\n", 1)[0]
        if ". " in text[:300]:
            text = text[: text.index(". ") + 1]
    text = " ".join(str(text).split())
    return text if len(text) <= 200 else text[:197] + "..."
