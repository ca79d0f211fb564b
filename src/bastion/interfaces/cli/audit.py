"""``bastion audit [PATH]``: the contextual review map (entry points, review items, risk), as HTML, JSON or Markdown."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bastion.interfaces.cli import EXIT_OK, UsageError

FORMATS = ("html", "json", "markdown", "map")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "audit", help="map entry points and the questions a human reviewer must answer (HTML, JSON, Markdown)",
        description="Map every entry point (HTTP routes, CLI commands, queue consumers, scheduled jobs) with its inputs, guards and "
                    "the sensitive operations it reaches; raise review items with the question to answer and the evidence; rank by risk. "
                    "The code is only parsed, never run.")
    parser.add_argument("path", nargs="?", default=".", help="the application's folder (default: .)")
    parser.add_argument("-f", "--format", choices=FORMATS, default=None,
                        help="html (default with --output), json, markdown, or map (the entry-point map alone, JSON; what dast --routes-from reads)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE (format from its suffix unless --format)")
    parser.add_argument("--no-scan", action="store_true", help="do not run the SAST scan beside the map (no findings linked)")
    parser.add_argument("--review-file", metavar="FILE", help="review state file (default: .bastion-review.json in PATH)")
    parser.add_argument("--mark", nargs="+", metavar="ITEM", help="mark review items (by id, or 'all') reviewed in the review file, then report")
    parser.add_argument("--by", default="", help="reviewer name recorded with --mark")
    parser.add_argument("--note", default="", help="note recorded with --mark")
    parser.add_argument("--config", help="config file (default: nearest bastion.toml / pyproject.toml)")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes for the scan")
    parser.add_argument("--no-cache", action="store_true", help="do not read or write the scan cache")
    parser.set_defaults(handler=run)


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return args.format
    if args.output:
        suffix = Path(args.output).suffix.lower()
        return {".html": "html", ".htm": "html", ".json": "json", ".md": "markdown"}.get(suffix) or _unknown(args.output)
    return "markdown"


def _unknown(output: str) -> str:
    raise UsageError(f"cannot tell the format of {output!r}: give --format html, json, markdown or map")


def run(args: argparse.Namespace) -> int:
    from bastion.interfaces.api import resolve_config
    from bastion.audit import AuditError, build_map
    from bastion.audit.assess import audit
    from bastion.audit.state import StateError, mark_reviewed

    root = Path(args.path)
    if not root.exists():
        raise UsageError(f"{args.path} does not exist")
    fmt = _format(args)
    config = resolve_config(root if root.is_dir() else root.parent, config_file=args.config)
    try:
        if fmt == "map":
            text = json.dumps(build_map(root, config).to_dict(), indent=2, ensure_ascii=False) + "\n"
            return _write(text, args.output)
        result = audit(root, config=config, scan=not args.no_scan, state_file=args.review_file, jobs=args.jobs, use_cache=not args.no_cache)
        if args.mark:
            chosen = result.items if "all" in args.mark else [i for i in result.items if i.id in set(args.mark)]
            unknown = set(args.mark) - {"all"} - {i.id for i in chosen}
            if unknown:
                raise UsageError(f"no review item with id {', '.join(sorted(unknown))} (ids are in the report)")
            written = mark_reviewed(root, result.state, chosen, result.app_map.entry_points, by=args.by, note=args.note, state_file=args.review_file)
            print(f"marked {len(chosen)} item(s) reviewed in {written}", file=sys.stderr)
    except (AuditError, StateError) as exc:
        raise UsageError(str(exc)) from None
    return _write(render(result, fmt), args.output)


def render(result, fmt: str) -> str:
    if fmt == "html":
        from bastion.audit.html import render as html

        return html(result)
    if fmt == "json":
        return json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"
    from bastion.audit.markdown import render as markdown

    return markdown(result)


def _write(text: str, output: str | None) -> int:
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return EXIT_OK
