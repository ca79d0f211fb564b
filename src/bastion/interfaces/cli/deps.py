"""``bastion db``, ``bastion deps`` and ``bastion sbom``: the dependency audit's commands.

``deps`` is ``scan`` with only the deps engine, plus ``--fix`` (upgrades
written into the manifests; ``--dry-run`` prints them as a patch, as
``scan --fix`` does) and ``--online``. ``db`` keeps the
local advisory database; ``sbom`` writes CycloneDX JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime, timezone
from pathlib import Path

from bastion.interfaces.cli import EXIT_ERROR, UsageError


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db-dir", metavar="DIR",
                        help="advisory database folder (default: $BASTION_DB_DIR, else osv/ in Bastion's cache "
                             "folder: $BASTION_CACHE_DIR, $XDG_CACHE_HOME/bastion or ~/.cache/bastion)")


def add_freshness_options(parser: argparse.ArgumentParser) -> None:
    """The dependency audit fails closed: these say how old the advisory data may be, or accept it as is."""
    parser.add_argument("--max-db-age", type=int, metavar="DAYS", dest="max_db_age",
                        help="stop (exit 2) if the newest advisory is older than DAYS (default: 14; "
                             "config: [tool.bastion.deps] max_db_age_days)")
    parser.add_argument("--allow-stale-db", action="store_true", default=None,
                        help="go on with a missing or old advisory database, with a warning (config: allow_stale_db)")


def deps_settings(args: argparse.Namespace, **extra):
    """The dependency-audit settings the command line gives (None: the config decides)."""
    import bastion

    if args.max_db_age is not None and args.max_db_age <= 0:
        raise UsageError("--max-db-age must be a positive number of days")
    return bastion.DepsSettings(db_dir=getattr(args, "db_dir", None), max_db_age_days=args.max_db_age,
                                allow_stale_db=args.allow_stale_db, **extra)


def register(subparsers: argparse._SubParsersAction) -> None:
    db = subparsers.add_parser("db", help="keep the local advisory database (OSV)",
                               description="Update or inspect the local OSV advisory database that scans use offline.")
    actions = db.add_subparsers(dest="db_command", metavar="ACTION")
    actions.required = True
    update = actions.add_parser("update", help="download OSV's PyPI and npm exports, or import local OSV data")
    update.add_argument("--from", dest="source", metavar="PATH",
                        help="an OSV export zip, an OSV JSON record, or a folder searched for both (offline)")
    _db_option(update)
    update.set_defaults(handler=run_db_update)
    status = actions.add_parser("status", help="age, counts and source of the database")
    status.add_argument("--json", action="store_true", help="print JSON")
    _db_option(status)
    status.set_defaults(handler=run_db_status)

    deps = subparsers.add_parser("deps", help="audit dependencies: known vulnerabilities, lookalike and invented packages",
                                 description="Audit every Python and JavaScript manifest and lockfile under PATH.")
    deps.add_argument("path", nargs="?", default=".", help="folder to audit (default: .)")
    deps.add_argument("--fix", action="store_true", help="write the upgrades into requirements files and package.json")
    deps.add_argument("--dry-run", action="store_true", help="with --fix: print the upgrades as a patch, change nothing")
    deps.add_argument("--online", action="store_true", help="also ask PyPI/npm whether packages exist, are new or yanked")
    deps.add_argument("-f", "--format", default="text", metavar="FMT", help="text, json, sarif, markdown or junit")
    deps.add_argument("--fail-on", metavar="SEVERITY", help="exit 1 at or above this severity (default: config or medium)")
    _db_option(deps)
    add_freshness_options(deps)
    deps.set_defaults(handler=run_deps)

    sbom = subparsers.add_parser("sbom", help="write a CycloneDX JSON SBOM of the lockfiles, with known vulnerabilities")
    sbom.add_argument("path", nargs="?", default=".", help="folder (default: .)")
    sbom.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")
    _db_option(sbom)
    add_freshness_options(sbom)
    sbom.set_defaults(handler=run_sbom)


def run_db_update(args: argparse.Namespace) -> int:
    import bastion

    try:
        result = bastion.db_update(args.source, args.db_dir)
    except bastion.ScanError as exc:
        raise UsageError(str(exc)) from None
    stats = result.stats
    print(f"advisories: {stats.added} added, {stats.updated} updated, {stats.unchanged} unchanged, "
          f"{stats.duplicates} duplicate copies, {stats.invalid} invalid records skipped, "
          f"{len(result.unreadable_files)} unreadable files skipped")
    for skipped in stats.skipped:
        print(f"  skipped record {skipped}", file=sys.stderr)
    for origin in result.unreadable_files:
        print(f"  unreadable file: {origin}", file=sys.stderr)
    return 0


def run_db_status(args: argparse.Namespace) -> int:
    import bastion

    state = bastion.db_status(args.db_dir)
    if args.json:
        print(json.dumps(state.to_dict(), indent=2, sort_keys=True))
        return 0 if state.exists else 1
    if not state.exists:
        print(f"no advisory database at {state.path}; run `bastion db update` (or `bastion db update --from PATH`)")
        return 1
    records = ", ".join(f"{n} {eco}" for eco, n in sorted((state.by_ecosystem or {}).items()))
    packages = ", ".join(f"{n} {eco}" for eco, n in sorted((state.packages_by_ecosystem or {}).items()))
    age = "unknown" if state.age_days is None else f"{state.age_days:.1f} days (newest advisory modified {state.newest_modified})"
    imported = "never" if state.updated_at is None else \
        datetime.fromtimestamp(state.updated_at, timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    print(f"database:   {state.path}\necosystems: {', '.join(sorted(state.by_ecosystem or {})) or 'none'}\n"
          f"records:    {state.records} ({records})\npackages:   {state.packages} ({packages})\n"
          f"data age:   {age}\nimported:   {imported}\nsource:     {state.source}")
    return 0


def run_deps(args: argparse.Namespace) -> int:
    import bastion
    from bastion.report import available_formats, render

    if args.dry_run and not args.fix:
        raise UsageError("--dry-run goes with --fix")
    if args.format not in available_formats():
        raise UsageError(f"unknown format {args.format!r} (choose from {', '.join(available_formats())})")
    try:
        report = bastion.deps(args.path, settings=deps_settings(args, online=True if args.online else None),
                              fail_on=args.fail_on or "config")
    except bastion.ScanError as exc:
        raise UsageError(str(exc)) from None
    fixed = 0
    if args.fix:
        from bastion.pipeline.fixes import run_fixes

        fixed = run_fixes(Path(report.root), report.findings, args.dry_run, what="upgrade(s)")
        if args.dry_run:
            return fixed
    sys.stdout.write(render(report, args.format, color=args.format == "text" and sys.stdout.isatty()))
    return EXIT_ERROR if fixed else report.exit_code


def run_sbom(args: argparse.Namespace) -> int:
    import bastion

    try:
        result = bastion.sbom(args.path, settings=deps_settings(args))
    except bastion.ScanError as exc:
        raise UsageError(str(exc)) from None
    for note in result.notes:
        print(f"bastion: {note.kind}: {note.message}", file=sys.stderr)
    if any(note.kind in ("failure", "error") for note in result.notes):
        print("bastion: error: no SBOM written: it would leave out what the files above declare", file=sys.stderr)
        return EXIT_ERROR
    if args.output and args.output != "-":
        try:
            Path(args.output).write_text(result.text, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot write {args.output}: {exc.strerror}") from None
    else:
        sys.stdout.write(result.text)
    return 0
