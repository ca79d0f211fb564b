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
from pathlib import Path

from bastion.cli import EXIT_ERROR, UsageError


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db-dir", metavar="DIR",
                        help="advisory database folder (default: $BASTION_DB_DIR or ~/.cache/bastion/osv)")


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
    deps.set_defaults(handler=run_deps)

    sbom = subparsers.add_parser("sbom", help="write a CycloneDX JSON SBOM of the lockfiles, with known vulnerabilities")
    sbom.add_argument("path", nargs="?", default=".", help="folder (default: .)")
    sbom.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")
    _db_option(sbom)
    sbom.set_defaults(handler=run_sbom)


def run_db_update(args: argparse.Namespace) -> int:
    from bastion.deps import importer

    try:
        if args.source:
            stats, reader = importer.import_path(args.source, args.db_dir)
        else:
            stats, reader = importer.download(args.db_dir)
    except FileNotFoundError as exc:
        raise UsageError(str(exc)) from None
    except Exception as exc:  # network and HTTP errors: say what failed and how to work offline
        print(f"bastion: db update failed: {type(exc).__name__}: {exc}\n"
              "Offline? Import a copy instead: bastion db update --from PATH", file=sys.stderr)
        return EXIT_ERROR
    print(f"advisories: {stats.added} added, {stats.updated} updated, {stats.unchanged} unchanged, "
          f"{stats.invalid} invalid records skipped, {reader.unreadable} unreadable files skipped")
    for origin in reader.skipped_files[:5]:
        print(f"  unreadable: {origin}", file=sys.stderr)
    return 0


def run_db_status(args: argparse.Namespace) -> int:
    from bastion.deps import db

    state = db.status(args.db_dir)
    if args.json:
        print(json.dumps(state.to_dict(), indent=2, sort_keys=True))
        return 0 if state.exists else 1
    if not state.exists:
        print(f"no advisory database at {state.path}; run `bastion db update` (or `bastion db update --from PATH`)")
        return 1
    counts = ", ".join(f"{n} {eco}" for eco, n in sorted((state.by_ecosystem or {}).items()))
    stale = " (stale: run `bastion db update`)" if (state.age_days or 0) > db.STALE_DAYS else ""
    print(f"database: {state.path}\nrecords:  {state.records} ({counts})\n"
          f"updated:  {state.age_days:.1f} days ago{stale}\nsource:   {state.source}")
    return 0


def run_deps(args: argparse.Namespace) -> int:
    import bastion
    from bastion.report import available_formats, render

    if args.dry_run and not args.fix:
        raise UsageError("--dry-run goes with --fix")
    if args.format not in available_formats():
        raise UsageError(f"unknown format {args.format!r} (choose from {', '.join(available_formats())})")
    options = {"online": True} if args.online else {}
    if args.db_dir:
        options["db_dir"] = args.db_dir
    try:
        report = bastion.scan(args.path, engines=["deps"], use_cache=False, engine_options={"deps": options},
                              fail_on=args.fail_on or "config", strict=True)  # an unread lockfile is no pass
    except bastion.ScanError as exc:
        raise UsageError(str(exc)) from None
    fixed = 0
    if args.fix:
        from bastion.fixes import run_fixes

        fixed = run_fixes(Path(report.root), report.findings, args.dry_run, what="upgrade(s)")
        if args.dry_run:
            return fixed
    sys.stdout.write(render(report, args.format, color=args.format == "text" and sys.stdout.isatty()))
    return EXIT_ERROR if fixed else report.exit_code


def run_sbom(args: argparse.Namespace) -> int:
    from bastion.deps import sbom
    from bastion.deps.audit import MAX_FILE_BYTES, collect
    from bastion.workspace import discover, read_confined

    root = Path(args.path)
    if not root.is_dir():
        raise UsageError(f"not a folder: {args.path}")
    root = root.resolve()
    inventory = collect(discover(root, max_file_size=MAX_FILE_BYTES).files, lambda rel: read_confined(root, rel, MAX_FILE_BYTES))
    for note in inventory.notes:
        print(f"bastion: {note.kind}: {note.message}", file=sys.stderr)
    if any(note.kind == "error" for note in inventory.notes):
        print("bastion: error: no SBOM written: it would leave out what the files above declare", file=sys.stderr)
        return EXIT_ERROR
    text = sbom.build(inventory, root.name, args.db_dir)
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot write {args.output}: {exc.strerror}") from None
    else:
        sys.stdout.write(text)
    return 0
