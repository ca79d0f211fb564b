"""The audit itself: read every manifest and lockfile, then match, compare and (when asked) ask the registries.

:func:`collect` turns workspace files into an :class:`Inventory` (one bad
file is a note, never the end of the scan); :func:`audit` turns the
inventory into findings. The engine, the ``deps`` and ``sbom`` commands all
go through these two.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Callable, Iterable, Iterator

from bastion.deps import db as advisory_db
from bastion.deps import registry, rules, vulns
from bastion.deps.fixer import upgrade_edit
from bastion.deps.lookalike import PopularNames
from bastion.deps.options import DepsOptions
from bastion.deps.packages import Dependency
from bastion.deps.readers import is_manifest, reader_for, requirements
from bastion.core.engine_api import decode_bytes
from bastion.core.model import Finding, Location, Note, Severity

MAX_FILE_BYTES = 64 * 1024 * 1024


@dataclass
class Inventory:
    """Every dependency the workspace's files declare, the texts they came from, and what could not be read."""

    deps: list[Dependency] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)

    _lines: dict[str, list[str]] = field(default_factory=dict, repr=False)

    def line_text(self, dep: Dependency) -> str:
        if dep.path not in self._lines:
            self._lines[dep.path] = self.texts.get(dep.path, "").splitlines()
        lines = self._lines[dep.path]
        return lines[dep.line - 1] if 0 < dep.line <= len(lines) else ""


def collect(paths: Iterable[str], read: Callable[[str], bytes]) -> Inventory:
    """Read every manifest and lockfile among ``paths`` with ``read`` (a confined reader of the workspace)."""
    inventory = Inventory()

    def load(relpath: str) -> str:
        if relpath not in inventory.texts:
            inventory.texts[relpath] = decode_bytes(read(relpath))[0]
        return inventory.texts[relpath]

    for path in sorted(paths):
        reader = reader_for(path)
        if reader is None:
            continue
        try:
            inventory.deps.extend(reader(path, load(path), load))
        except (OSError, ValueError) as exc:  # ReaderError included: the file's own fault, said plainly
            inventory.notes.append(Note("error", f"cannot read {path}: {exc}", path=path, reason="deps"))
        except RecursionError:
            inventory.notes.append(Note("error", f"cannot read {path}: nested too deeply", path=path, reason="deps"))
        except Exception as exc:  # a reader bug on odd input costs this file, not the other lockfiles
            inventory.notes.append(Note("error", f"cannot read {path}: {type(exc).__name__}: {exc}"[:300], path=path, reason="deps"))
    return inventory


def _where(dep: Dependency) -> str:
    if dep.direct:
        return "direct dependency"
    if dep.chain and dep.chain_elided:
        half = len(dep.chain) // 2
        return ("pulled in by " + " -> ".join(dep.chain[:half]) + f" -> ({dep.chain_elided} more) -> "
                + " -> ".join(dep.chain[half:]))
    if dep.chain:
        return "pulled in by " + " -> ".join(dep.chain)
    return "transitive dependency" if dep.direct is False else "dependency"


def _upgrade_advice(dep: Dependency, upgrade: str | None, count: int, editable: bool) -> str:
    """The package's one way out, the same words on each of its advisories (so a report can say it once)."""
    if upgrade is None:
        return (f"No single release of {dep.name} fixes all {count} known advisories: check each advisory for a "
                "workaround, or replace the package.")
    every = f"all {count} known advisories" if count > 1 else "the known advisory"
    how = ("`bastion deps --fix` writes the edit" if editable else
           "upgrade the direct dependency that pulls it in, or pin it through your package manager's overrides")
    return f"Upgrade {dep.name} to {upgrade}, the smallest version that fixes {every} ({how})."


def _base_properties(dep: Dependency) -> dict:
    return {
        "ecosystem": dep.ecosystem,
        "package": dep.name,
        "version": dep.version,
        "direct": dep.direct,
        "chain": list(dep.chain),
        "chain_elided": dep.chain_elided,
        "dev": dep.dev,
    }


class Auditor:
    """One audit run: an open database, caches per package, and the inventory to report on."""

    def __init__(self, inventory: Inventory, options: DepsOptions):
        self.inv = inventory
        self.options = options
        self.lock_dirs = {(posixpath.dirname(d.path), d.ecosystem) for d in inventory.deps if d.kind == "lockfile"}
        self.manifest_deps = {
            (posixpath.dirname(d.path), d.ecosystem, d.name): d for d in inventory.deps if is_manifest(d.path) and d.kind == "manifest"
        }

    def run(self) -> Iterator[Finding | Note]:
        yield from self._vulnerabilities()
        yield from self._unpinned()
        if self.options.lookalike:
            yield from self._lookalikes()
        if self.options.online:
            yield from self._online()

    # -- known vulnerabilities ----------------------------------------------

    def audited(self) -> list[Dependency]:
        """Pinned dependencies whose version is the truth: manifests yield to a lockfile beside them."""
        seen, out = set(), []
        for dep in self.inv.deps:
            if dep.version is None or dep.kind == "url":
                continue
            if is_manifest(dep.path) and (posixpath.dirname(dep.path), dep.ecosystem) in self.lock_dirs:
                continue
            key = (dep.path, dep.line, dep.ecosystem, dep.name, dep.version)
            if key not in seen:
                seen.add(key)
                out.append(dep)
        return out

    def _vulnerabilities(self) -> Iterator[Finding | Note]:
        targets = self.audited()
        if not targets:
            return
        state, accepted = advisory_db.require_fresh(self.options.db_dir, self.options.max_db_age_days,
                                                    self.options.allow_stale_db)
        if accepted:
            yield Note("warning", accepted, path=state.path, reason="deps")
        if not state.exists:
            return
        with advisory_db.AdvisoryDB(self.options.db_dir) as database:
            for dep in targets:
                records = database.advisories(dep.ecosystem, dep.name)
                if not records:
                    continue
                found = vulns.find(records, dep.ecosystem, dep.name, dep.version)
                if not found:
                    continue
                upgrade = vulns.smallest_upgrade(records, dep.ecosystem, dep.name, dep.version)
                fix = self._fix(dep, upgrade)
                for vuln in found:
                    yield self._vuln_finding(dep, vuln, upgrade, len(found), fix)

    def _fix(self, dep: Dependency, upgrade: str | None):
        if upgrade is None:
            return None
        target = dep if dep.kind == "manifest" else None
        if target is None and dep.direct:
            target = self.manifest_deps.get((posixpath.dirname(dep.path), dep.ecosystem, dep.name))
        return upgrade_edit(target, self.inv.line_text(target), upgrade) if target else None

    def _vuln_finding(self, dep: Dependency, vuln: vulns.Vulnerability, upgrade: str | None, count: int, fix) -> Finding:
        names = f"{vuln.id} ({', '.join(vuln.aliases)})" if vuln.aliases else vuln.id
        fixed = f"fixed in {', '.join(vuln.fixed)}" if vuln.fixed else "no fixed version published"
        summary = f": {vuln.summary}" if vuln.summary else ""
        message = f"{dep.name} {dep.version} ({_where(dep)}) is affected by {names}{summary} — {fixed}."
        props = _base_properties(dep) | {
            "advisory": vuln.to_dict(),
            "fixed_versions": list(vuln.fixed),
            "upgrade_to": upgrade,
        }
        severity = Severity(vuln.severity) if vuln.severity else rules.VULNERABLE.severity
        return rules.VULNERABLE.finding(
            message, Location(dep.path, dep.line), severity=severity, snippet=self.inv.line_text(dep).strip(),
            properties=props, fix=fix, fingerprint_key=f"{dep.ecosystem}:{dep.name}:{dep.version}:{vuln.id}",
            fix_guidance=_upgrade_advice(dep, upgrade, count, fix is not None),
        )

    # -- unpinned requirements ---------------------------------------------

    def _unpinned(self) -> Iterator[Finding]:
        for dep in self.inv.deps:
            if dep.kind != "manifest" or dep.version is not None or reader_for(dep.path) is not requirements.read:
                continue
            spec = f"'{dep.spec}'" if dep.spec else "no version at all"
            yield rules.UNPINNED.finding(
                f"{dep.name} is not pinned ({spec}): installs are not repeatable and cannot be audited; pin an exact version.",
                Location(dep.path, dep.line), snippet=self.inv.line_text(dep).strip(), properties=_base_properties(dep),
                fingerprint_key=f"{dep.ecosystem}:{dep.name}",
            )

    # -- names ----------------------------------------------------------------

    def _declared(self) -> list[Dependency]:
        """What the project names itself (direct, or unknown), once per file and line."""
        seen, out = set(), []
        for dep in self.inv.deps:
            if dep.direct is not False and (dep.path, dep.line, dep.name) not in seen:
                seen.add((dep.path, dep.line, dep.name))
                out.append(dep)
        return out

    def _lookalikes(self) -> Iterator[Finding]:
        for dep in self._declared():
            match = PopularNames.load(dep.ecosystem).check(dep.ecosystem, dep.name)
            if match is None:
                continue
            yield rules.LOOKALIKE.finding(
                f"{dep.name} looks like the popular {dep.ecosystem} package {match.target} ({match.reason}); "
                f"check that it is the package you mean.",
                Location(dep.path, dep.line), snippet=self.inv.line_text(dep).strip(),
                properties=_base_properties(dep) | {"imitates": match.target, "reason": match.reason},
                fingerprint_key=f"{dep.ecosystem}:{dep.name}",
            )

    def _online(self) -> Iterator[Finding | Note]:
        declared = [d for d in self._declared() if d.kind != "url"]
        answers = registry.lookup([(d.ecosystem, d.name, d.version) for d in declared], self.options.registry_options())
        now = datetime.now(timezone.utc)
        young = timedelta(days=self.options.new_package_days)
        reported_errors = set()
        for dep in declared:
            info = answers[(dep.ecosystem, dep.name, dep.version)]
            loc, snippet, props = Location(dep.path, dep.line), self.inv.line_text(dep).strip(), _base_properties(dep)
            key = f"{dep.ecosystem}:{dep.name}:{dep.version}"
            if info.error:
                if info.error not in reported_errors:
                    reported_errors.add(info.error)
                    yield Note("warning", f"registry check of {dep.name} failed: {info.error}", path=dep.path, reason="deps")
                continue
            if not info.exists:
                yield rules.NONEXISTENT.finding(
                    f"{dep.name} does not exist on the {dep.ecosystem} registry: an invented name anyone could register.",
                    loc, snippet=snippet, properties=props, fingerprint_key=key)
                continue
            if info.version_exists is False:
                yield rules.NONEXISTENT.finding(
                    f"{dep.name} has no version {dep.version} on the {dep.ecosystem} registry.",
                    loc, snippet=snippet, properties=props, fingerprint_key=key)
            if info.yanked is not None:
                verb = "was yanked" if dep.ecosystem == "PyPI" else "is deprecated"
                reason = f": {info.yanked}" if info.yanked else ""
                yield rules.YANKED.finding(f"{dep.name} {dep.version} {verb}{reason}.", loc, snippet=snippet,
                                           properties=props, fingerprint_key=key)
            if info.first_published and now - info.first_published < young:
                days = (now - info.first_published).days
                yield rules.NEW_PACKAGE.finding(
                    f"{dep.name} was first published {days} day(s) ago ({info.first_published.date().isoformat()}); "
                    "young packages have no track record.",
                    loc, snippet=snippet, properties=props | {"first_published": info.first_published.isoformat()},
                    fingerprint_key=key)


def audit(inventory: Inventory, options: DepsOptions) -> list[Finding | Note]:
    return list(Auditor(inventory, options).run())
