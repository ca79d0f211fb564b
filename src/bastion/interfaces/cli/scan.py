"""``bastion scan``: run the engines over files, a folder or stdin and report."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from bastion.interfaces.cli import EXIT_ERROR, UsageError
from bastion.interfaces.cli.deps import add_freshness_options, deps_settings
from bastion.core.model import Severity

SEVERITIES = [s.value for s in Severity]
STDOUT = "-"  # as an --output: standard output


def add_scan_options(parser: argparse.ArgumentParser) -> None:
    """Options shared by ``scan`` and ``baseline``: what to scan and with what."""
    parser.add_argument("paths", nargs="*", default=["."], help="folder, files, or '-' for stdin (default: .)")
    parser.add_argument("--stdin-filename", metavar="NAME", help="name (and so language) of the code read from '-'")
    parser.add_argument("--config", metavar="FILE", help="bastion.toml or pyproject.toml to use")
    parser.add_argument("--engine", action="append", dest="engines", metavar="NAME", help="run only this engine (repeatable)")
    parser.add_argument("--rule", action="append", dest="rules", metavar="ID", help="report only this rule (repeatable)")
    parser.add_argument("-j", "--jobs", type=int, metavar="N", help="worker processes (default: one per core this process may use)")
    parser.add_argument("--no-cache", action="store_true", help="analyse every file even if unchanged")
    parser.add_argument("--history", action="store_true", help="also scan every commit of the git history for secrets")
    parser.add_argument("--show-secrets", action="store_true", help="print secret values in full (default: redacted)")
    add_freshness_options(parser)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("scan", help="scan code, secrets, dependencies and configuration",
                                   description="Scan a folder, files or stdin and report findings.")
    add_scan_options(parser)
    parser.add_argument("-f", "--format", action="append", dest="formats", metavar="FMT",
                        help="text, json, sarif, markdown, junit or html (repeatable; pairs with --output in order)")
    parser.add_argument("-o", "--output", action="append", dest="outputs", metavar="FILE",
                        help="write the matching --format to FILE, '-' for standard output (repeatable)")
    parser.add_argument("--baseline", metavar="FILE", help="hide findings recorded in this baseline")
    parser.add_argument("--diff", metavar="REF", help="report only findings on lines changed since git REF")
    parser.add_argument("--min-severity", choices=SEVERITIES, help="hide findings below this severity")
    parser.add_argument("--min-confidence", choices=["high", "medium", "low"], help="hide findings below this confidence")
    parser.add_argument("--fail-on", choices=SEVERITIES + ["never"],
                        help="exit 1 if a finding is at or above this severity (default: medium)")
    parser.add_argument("--strict", action="store_true", default=None,
                        help="exit 2 if any analysis is incomplete (a file cut off by a budget, an engine failure)")
    parser.add_argument("--fix", action="store_true", help="apply the machine-applicable fixes")
    parser.add_argument("--dry-run", action="store_true", help="with --fix: print the diff, change nothing")
    parser.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="print nothing on the terminal (files named by --output are still written)")
    parser.set_defaults(handler=run)


def scan_from_args(args: argparse.Namespace, progress=None):
    """Call the public API with what the shared options say."""
    import bastion

    stdin_text = None
    paths = args.paths
    if paths == ["-"]:
        if not args.stdin_filename:
            raise UsageError("reading from '-' needs --stdin-filename NAME (its extension picks the language)")
        stdin_text = sys.stdin.buffer.read()
    elif "-" in paths:
        raise UsageError("'-' (stdin) cannot be combined with other paths")
    options: dict[str, dict] = {"secrets": {"show_secrets": True}} if args.show_secrets else {}
    freshness = deps_settings(args).engine_options()
    if freshness:
        options["deps"] = freshness
    try:
        return bastion.scan(
            paths, config_file=args.config, engines=args.engines, rules=args.rules, jobs=args.jobs,
            use_cache=not args.no_cache, baseline=getattr(args, "baseline", None), diff=getattr(args, "diff", None),
            min_severity=getattr(args, "min_severity", None), min_confidence=getattr(args, "min_confidence", None),
            fail_on=getattr(args, "fail_on", None) or "config", stdin_filename=args.stdin_filename,
            stdin_text=stdin_text, engine_options=options or None, history=args.history, progress=progress,
            strict=getattr(args, "strict", None),
        )
    except bastion.ScanError as exc:
        raise UsageError(str(exc)) from None


def output_pairs(args: argparse.Namespace) -> list[tuple[str, str | None]]:
    """Pair formats with destinations in order; an --output without a --format takes the format its name implies."""
    from bastion.report import available_formats, guess_format

    formats = list(args.formats or [])
    outputs = list(args.outputs or [])
    for destination in outputs[len(formats):]:
        implied = "text" if destination == STDOUT else guess_format(destination)
        if implied is None:
            raise UsageError(f"cannot tell the format of {destination!r}: give a --format for it")
        formats.append(implied)
    formats = formats or ["text"]
    pairs = [(fmt, outputs[i] if i < len(outputs) and outputs[i] != STDOUT else None) for i, fmt in enumerate(formats)]
    for fmt, _ in pairs:
        if fmt not in available_formats():
            raise UsageError(f"unknown format {fmt!r} (choose from {', '.join(available_formats())})")
    if sum(1 for _, out in pairs if out is None) > 1:
        raise UsageError("only one --format can go to standard output; give the others an --output FILE")
    return pairs


def run(args: argparse.Namespace) -> int:
    from bastion.interfaces.cli.progress import terminal_progress

    pairs = output_pairs(args)
    if args.dry_run and not args.fix:
        raise UsageError("--dry-run goes with --fix")
    with terminal_progress(enabled=not (args.no_progress or args.quiet)) as progress:
        report = scan_from_args(args, progress)
    fixed = 0
    if args.fix:
        from bastion.pipeline.fixes import run_fixes

        fixed = run_fixes(Path(report.root), report.findings, args.dry_run, quiet=args.quiet)
        if args.dry_run:
            return fixed
    write_reports(report, pairs, quiet=args.quiet)
    return EXIT_ERROR if fixed else report.exit_code


def write_reports(report, pairs: list[tuple[str, str | None]], *, quiet: bool = False) -> None:
    """Render ``report`` once per (format, destination) pair; None is standard output.

    ``quiet`` silences standard output only: report files asked for with ``--output`` are still written.
    """
    from bastion.report import render

    for fmt, destination in pairs:
        if destination is None and quiet:
            continue
        on_terminal = destination is None and sys.stdout.isatty()
        width = shutil.get_terminal_size().columns if on_terminal else None
        text = render(report, fmt, color=on_terminal and fmt == "text", width=width)
        if destination is None:
            sys.stdout.write(text)
        else:
            try:
                Path(destination).write_text(text, encoding="utf-8")
            except OSError as exc:
                raise UsageError(f"cannot write {destination}: {exc.strerror}") from None
