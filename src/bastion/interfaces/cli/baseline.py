"""``bastion baseline``: record today's findings so that later scans report only new ones."""

from __future__ import annotations

import argparse
from pathlib import Path

from bastion.interfaces.cli.scan import add_scan_options, scan_from_args


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("baseline", help="write a baseline of the current findings")
    add_scan_options(parser)
    parser.add_argument("-o", "--output", default=".bastion-baseline.json", metavar="FILE",
                        help="where to write it (default: .bastion-baseline.json)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from bastion.pipeline.filters import write_baseline

    report = scan_from_args(args)
    count = write_baseline(report.findings, Path(args.output))
    print(f"wrote {count} finding(s) to {args.output}; scan with --baseline {args.output} to hide them")
    return 0
