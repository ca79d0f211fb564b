"""The public API beyond :func:`bastion.scan`: one function per command, so the faces cannot drift.

The CLI (``bastion deps``, ``sbom``, ``db``, ``secrets history``, ``prompt``) and the MCP server
(``check_packages``, ``harden_prompt``) are thin faces over these functions: they parse their own input,
call one function here, and print or return what it gives. Every function raises
:class:`bastion.ScanError` with a message for the user when it cannot do its job.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterable

import re2

from bastion.interfaces.api import ScanError, scan
from bastion.core.config import Config, ConfigError
from bastion.core.model import Finding, Note
from bastion.core.result import Report

#: The ecosystems ``check_packages`` knows, by their lower-case name (any case is accepted).
PACKAGE_ECOSYSTEMS = {"pypi": "PyPI", "npm": "npm"}
_PYPI_NAME = re2.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,98}[A-Za-z0-9])?$")
_NPM_NAME = re2.compile(r"^(?:@[a-z0-9][a-z0-9._~-]{0,100}/)?[a-z0-9][a-z0-9._~-]{0,100}$")
_VERSION = re2.compile(r"^[A-Za-z0-9][A-Za-z0-9.+!_-]{0,63}$")


@dataclass(frozen=True)
class DepsSettings:
    """How the dependency audit may run; None leaves the project's config (or the default) in charge."""

    db_dir: str | None = None
    online: bool | None = None
    max_db_age_days: int | None = None
    allow_stale_db: bool | None = None

    def engine_options(self) -> dict[str, Any]:
        return {key: value for key, value in self.__dict__.items() if value is not None}


def deps(path: str | Path = ".", *, settings: DepsSettings = DepsSettings(), fail_on: Any = "config",
         config: Config | None = None) -> Report:
    """Audit every manifest and lockfile under ``path``: known vulnerabilities, lookalike and invented names.

    A missing or out-of-date advisory database raises :class:`ScanError` unless ``settings.allow_stale_db``.
    """
    return scan(path, engines=["deps"], use_cache=False, engine_options={"deps": settings.engine_options()},
                fail_on=fail_on, config=config, strict=True)  # an unread lockfile is no pass


@dataclass(frozen=True)
class PackageSpec:
    """A package to check before adding it: its ecosystem (any case), name and, optionally, exact version."""

    ecosystem: str
    name: str
    version: str | None = None


def check_packages(packages: Iterable[PackageSpec], *, settings: DepsSettings = DepsSettings(),
                   config: Config | None = None) -> Report:
    """Check packages by name before they are added: known advisories of the given version, lookalike names
    and (``settings.online``) names or versions the registry does not know.

    A bare name (no version) is about the name only: it draws no unpinned-dependency finding, since nothing
    was declared anywhere. Findings point at the package (``package`` and ``ecosystem`` properties), never at
    a file: the manifest written to run the audit is gone when this returns.
    """
    from bastion.deps.rules import UNPINNED

    specs = list(packages)
    if not specs:
        raise ScanError("no packages to check")
    pypi: list[str] = []
    npm: dict[str, str] = {}
    for spec in specs:
        ecosystem = PACKAGE_ECOSYSTEMS.get(spec.ecosystem.strip().lower())
        if ecosystem is None:
            raise ScanError(f"unknown ecosystem {spec.ecosystem!r} (known: {', '.join(PACKAGE_ECOSYSTEMS.values())})")
        if not (_PYPI_NAME if ecosystem == "PyPI" else _NPM_NAME).match(spec.name):
            raise ScanError(f"not a valid {ecosystem} package name: {spec.name!r}")
        if spec.version is not None and not _VERSION.match(spec.version):
            raise ScanError(f"not a valid version for {spec.name}: {spec.version!r}")
        if ecosystem == "PyPI":
            pypi.append(f"{spec.name}=={spec.version}" if spec.version else spec.name)
        else:
            npm[spec.name] = spec.version or "*"
    with tempfile.TemporaryDirectory(prefix="bastion-packages-") as folder:
        if pypi:
            Path(folder, "requirements.txt").write_text("\n".join(pypi) + "\n", "utf-8")
        if npm:
            Path(folder, "package.json").write_text(
                json.dumps({"name": "bastion-check", "version": "0.0.0", "dependencies": npm}), "utf-8")
        report = deps(folder, settings=settings, config=config, fail_on=None)
    report.findings = [_about_the_package(f) for f in report.findings if f.rule_id != UNPINNED.id]
    report.notes = [replace(n, path=None) for n in report.notes]  # the temporary manifest is gone
    report.root = ""
    return report


def _about_the_package(finding: Finding) -> Finding:
    """The finding located at the package's purl (``pkg:pypi/name@version``), not at the temporary
    manifest it was read from."""
    from packageurl import PackageURL

    from bastion.core.model import Location

    props = finding.properties
    kind = "pypi" if props.get("ecosystem") == "PyPI" else "npm"
    scope, _, name = str(props.get("package", "")).rpartition("/") if kind == "npm" else ("", "", props.get("package", ""))
    purl = PackageURL(type=kind, namespace=scope or None, name=name, version=props.get("version")).to_string()
    return replace(finding, location=Location(purl, 1), snippet=purl, fix=None)


@dataclass(frozen=True)
class SbomResult:
    """A CycloneDX 1.6 JSON SBOM and the notes of reading the lockfiles (a file that could not be read)."""

    text: str
    notes: tuple[Note, ...]


def sbom(path: str | Path = ".", *, settings: DepsSettings = DepsSettings()) -> SbomResult:
    """The SBOM of every lockfile and manifest under ``path``, with every known vulnerability attached.

    A missing or out-of-date advisory database raises :class:`ScanError` unless ``settings.allow_stale_db``.
    """
    from bastion.deps import sbom as cyclonedx
    from bastion.deps.audit import MAX_FILE_BYTES, collect
    from bastion.deps.options import parse_options
    from bastion.core.engine_api import CannotCheck
    from bastion.pipeline.workspace import discover
    from bastion.host.files import read_confined

    root = Path(path)
    if not root.is_dir():
        raise ScanError(f"not a folder: {path}")
    root = root.resolve()
    try:
        options = parse_options(settings.engine_options())
    except ConfigError as exc:
        raise ScanError(str(exc)) from None
    inventory = collect(discover(root, max_file_size=MAX_FILE_BYTES).files,
                        lambda rel: read_confined(root, rel, MAX_FILE_BYTES))
    try:
        built = cyclonedx.build(inventory, root.name, options)
    except CannotCheck as exc:
        raise ScanError(str(exc)) from None
    notes = [*inventory.notes, *(Note("warning", w, reason="deps") for w in built.warnings)]
    return SbomResult(built.text, tuple(notes))


def db_status(db_dir: str | Path | None = None):
    """Where the advisory database is, the age of its data (its newest advisory), ecosystems and counts."""
    from bastion.deps import db

    return db.status(db_dir)


@dataclass(frozen=True)
class DbUpdate:
    """What ``db update`` did: the record counts (with each skipped record named) and unreadable files."""

    stats: Any  # bastion.deps.db.ImportStats
    unreadable_files: tuple[str, ...]


def db_update(source: str | Path | None = None, db_dir: str | Path | None = None) -> DbUpdate:
    """Import OSV records from ``source`` (an export zip, a JSON record or a folder), or, without one,
    download OSV's PyPI and npm exports. Raises :class:`ScanError` when nothing could be fetched."""
    from bastion.deps import importer

    try:
        if source is not None:
            stats, reader = importer.import_path(source, db_dir)
        else:
            stats, reader = importer.download(db_dir)
    except FileNotFoundError as exc:
        raise ScanError(str(exc)) from None
    except (OSError, sqlite3.Error) as exc:
        raise ScanError(f"cannot write the advisory database: {exc}") from None
    except Exception as exc:
        if source is not None:  # a bad record is skipped and named; anything else here is a bug, said plainly
            raise ScanError(f"importing {source} failed: {type(exc).__name__}: {exc}") from None
        # httpx's network and HTTP errors: say what failed and how to work offline
        raise ScanError(f"downloading the advisories failed: {type(exc).__name__}: {exc}. Offline? Import a copy "
                        "instead: bastion db update --from PATH") from None
    return DbUpdate(stats, tuple(reader.skipped_files))


@dataclass(frozen=True)
class HistoryResult:
    """Secrets found in a repository's history (one per distinct secret, at its first appearance) and notes
    (what was read, what was skipped)."""

    findings: tuple[Finding, ...]
    notes: tuple[Note, ...]


def secrets_history(path: str | Path = ".", *, show_secrets: bool = False, jobs: int | None = None,
                    progress: Callable[[int, int], None] | None = None) -> HistoryResult:
    """Scan every blob reachable from any ref of the git repository at ``path`` (bare or not) for secrets.

    Raises :class:`ScanError` if ``path`` is no repository or git cannot read its history.
    """
    from bastion.secrets import scan_history
    from bastion.secrets.history import HistoryError

    if not Path(path).is_dir():
        raise ScanError(f"{path} is not a directory")
    try:
        results = scan_history(str(path), {"show_secrets": show_secrets}, progress=progress, jobs=jobs)
    except HistoryError as exc:
        raise ScanError(str(exc)) from None
    findings = sorted((r for r in results if isinstance(r, Finding)), key=Finding.sort_key)
    return HistoryResult(tuple(findings), tuple(r for r in results if isinstance(r, Note)))


def harden_prompt(task: str, *, root: str | Path = ".", guidelines: list[str] | None = None,
                  persona: bool = False, language: str | None = None, framework: str | None = None,
                  top_k: int | None = None, word_budget: int | None = None):
    """Restate a coding request with the security requirements, secure patterns and acceptance checks it
    needs; ``guidelines``, ``top_k`` and ``word_budget`` default to the project's ``[tool.bastion.prompt]``
    settings."""
    from bastion.prompt import harden_prompt as harden
    from bastion.prompt.options import load_prompt_options

    if not task or not task.strip():
        raise ScanError("give the coding request")
    project = Path(root)
    if not project.is_dir():
        raise ScanError(f"not a folder: {root}")
    try:
        options = load_prompt_options(project)
    except (ConfigError, ValueError) as exc:
        raise ScanError(str(exc)) from None
    folders = guidelines or options["guidelines"]
    for folder in folders:
        if not Path(folder).is_dir():
            raise ScanError(f"guidelines folder not found: {folder}")
    depth = options["top_k"] if top_k is None else top_k
    if not 0 <= depth <= 20:
        raise ScanError("top_k must be between 0 and 20")
    try:
        return harden(task, root=project, guidelines=folders or None, persona=persona, language=language,
                      framework=framework, top_k=depth,
                      word_budget=options["words"] if word_budget is None else word_budget)
    except ValueError as exc:
        raise ScanError(str(exc)) from None


def review_prompt(path: str | Path, *, persona: bool = False, root: str | Path | None = None):
    """A review prompt for one file, grounded in Bastion's findings for it and the review map of ``root``."""
    from bastion.prompt import review_prompt as build

    try:
        return build(str(path), persona=persona, root=root)
    except ValueError as exc:
        raise ScanError(str(exc)) from None
