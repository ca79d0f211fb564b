"""A CycloneDX 1.6 JSON SBOM of what the lockfiles say, built with cyclonedx-python-lib.

One component per (ecosystem, name, version) with its purl, the dependency
graph the lockfiles record, and the known vulnerabilities from the local
advisory database attached to the components they affect. The serial
number is derived from the content and the timestamp honours
$SOURCE_DATE_EPOCH, so the same input can give the same bytes.
"""

from __future__ import annotations

import os
import posixpath
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal

from cyclonedx.model import Property
from cyclonedx.model.bom import Bom
from cyclonedx.model.component import Component, ComponentType
from cyclonedx.model.vulnerability import (
    BomTarget,
    Vulnerability,
    VulnerabilityRating,
    VulnerabilityScoreSource,
    VulnerabilitySeverity,
    VulnerabilitySource,
)
from cyclonedx.output.json import JsonV1Dot6
from packageurl import PackageURL

from bastion import __version__
from bastion.deps import db as advisory_db
from bastion.deps import vulns
from bastion.deps.audit import Inventory
from bastion.deps.options import DepsOptions
from bastion.deps.packages import Dependency
from bastion.deps.readers import is_manifest

_PURL_TYPE = {"PyPI": "pypi", "npm": "npm"}


def _purl(dep: Dependency) -> PackageURL:
    namespace, _, name = dep.name.rpartition("/") if dep.name.startswith("@") else ("", "", dep.name)
    return PackageURL(type=_PURL_TYPE[dep.ecosystem], namespace=namespace or None, name=name, version=dep.version)


def components_of(inventory: Inventory) -> list[Dependency]:
    """One pinned dependency per (ecosystem, name, version): lockfiles first, pinned manifest entries otherwise."""
    lock_dirs = {(posixpath.dirname(d.path), d.ecosystem) for d in inventory.deps if d.kind == "lockfile"}
    chosen: dict[tuple[str, str, str], Dependency] = {}
    for dep in inventory.deps:
        if dep.version is None or dep.kind == "url":
            continue
        if is_manifest(dep.path) and (posixpath.dirname(dep.path), dep.ecosystem) in lock_dirs:
            continue
        chosen.setdefault((dep.ecosystem, dep.name, dep.version), dep)
    return [chosen[k] for k in sorted(chosen)]


def _rating(vuln: vulns.Vulnerability) -> VulnerabilityRating | None:
    if not vuln.severity:
        return None
    method = None
    if vuln.cvss_vector:
        method = VulnerabilityScoreSource.CVSS_V3_1 if vuln.cvss_vector.startswith("CVSS:3.1") else \
            VulnerabilityScoreSource.CVSS_V4 if vuln.cvss_vector.startswith("CVSS:4") else VulnerabilityScoreSource.CVSS_V3
    return VulnerabilityRating(
        score=Decimal(str(vuln.cvss_score)) if vuln.cvss_score is not None else None,
        severity=VulnerabilitySeverity(vuln.severity), method=method, vector=vuln.cvss_vector,
    )


@dataclass(frozen=True)
class Sbom:
    """The SBOM as CycloneDX 1.6 JSON text, and what the user should know about it (an accepted old database)."""

    text: str
    warnings: tuple[str, ...] = ()


def build(inventory: Inventory, project: str, options: DepsOptions | None = None) -> Sbom:
    """The SBOM of ``inventory`` with every known vulnerability attached (the database must be fresh, see
    :func:`~bastion.deps.db.require_fresh`)."""
    options = options or DepsOptions()
    bom = Bom()
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    bom.metadata.timestamp = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch and epoch.isdigit() else datetime.now(timezone.utc)
    root = Component(name=project, type=ComponentType.APPLICATION, bom_ref="project")
    bom.metadata.component = root
    bom.metadata.tools.components.add(Component(name="bastion", version=__version__, type=ComponentType.APPLICATION))
    deps = components_of(inventory)
    by_key: dict[tuple[str, str, str], Component] = {}
    for dep in deps:
        purl = _purl(dep)
        component = Component(
            name=dep.name, version=dep.version, purl=purl, bom_ref=purl.to_string(), type=ComponentType.LIBRARY,
            properties=[Property(name="bastion:source", value=f"{dep.path}:{dep.line}"),
                        Property(name="bastion:direct", value=str(dep.direct).lower())],
        )
        bom.components.add(component)
        by_key[(dep.ecosystem, dep.name, dep.version)] = component
    by_name: dict[tuple[str, str], list[Component]] = {}
    for (eco, name, _), component in by_key.items():
        by_name.setdefault((eco, name), []).append(component)
    bom.register_dependency(root, [by_key[(d.ecosystem, d.name, d.version)] for d in deps if d.direct])
    for dep in deps:
        if dep.chain:
            parents = by_name.get((dep.ecosystem, dep.chain[-1]), [])
            for parent in parents:
                bom.register_dependency(parent, [by_key[(dep.ecosystem, dep.name, dep.version)]])
    warnings = _attach_vulnerabilities(bom, deps, by_key, options)
    material = "\n".join(sorted(c.bom_ref.value for c in by_key.values()))
    bom.serial_number = uuid.uuid5(uuid.NAMESPACE_URL, f"bastion-sbom:{project}:{material}")
    return Sbom(JsonV1Dot6(bom).output_as_string(indent=2), tuple(warnings))


def _attach_vulnerabilities(bom: Bom, deps: list[Dependency], by_key: dict, options: DepsOptions) -> list[str]:
    """Attach every known vulnerability; a missing or old database stops (see
    :func:`~bastion.deps.db.require_fresh`) unless accepted, then the warning is returned."""
    if not deps:
        return []
    state, accepted = advisory_db.require_fresh(options.db_dir, options.max_db_age_days, options.allow_stale_db)
    warnings = [accepted] if accepted else []
    if not state.exists:
        return warnings
    merged: dict[str, tuple[vulns.Vulnerability, list[Component]]] = {}
    with advisory_db.AdvisoryDB(options.db_dir) as database:
        for dep in deps:
            records = database.advisories(dep.ecosystem, dep.name)
            for vuln in vulns.find(records, dep.ecosystem, dep.name, dep.version) if records else ():
                merged.setdefault(vuln.id, (vuln, []))[1].append(by_key[(dep.ecosystem, dep.name, dep.version)])
    for ident in sorted(merged):
        vuln, components = merged[ident]
        rating = _rating(vuln)
        bom.vulnerabilities.add(Vulnerability(
            bom_ref=f"vuln:{ident}", id=ident, source=VulnerabilitySource(name="OSV"),
            ratings=[rating] if rating else [], description=vuln.summary or None,
            recommendation=f"fixed in {', '.join(vuln.fixed)}" if vuln.fixed else None,
            affects=[BomTarget(ref=c.bom_ref.value) for c in components],
            properties=[Property(name="bastion:alias", value=a) for a in vuln.aliases],
        ))
    return warnings
