"""``bastion dast``: test a running REST API, report confirmed findings in any format (exit codes as ``scan``)."""

from __future__ import annotations

import argparse
import sys

from bastion.interfaces.cli import UsageError
from bastion.interfaces.cli.scan import SEVERITIES


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "dast", help="test a running REST API (injection, authorization, JWT, rate limits, ...)",
        description="Send confirmed attacks to a running API on loopback (or a host you allow) and report what worked.")
    parser.add_argument("--target", required=True, metavar="URL", help="base URL of the running API, e.g. http://127.0.0.1:8000")
    parser.add_argument("--openapi", metavar="FILE|URL", help="OpenAPI 3.x / Swagger 2 spec (default: found on the target)")
    parser.add_argument("--auth", metavar="FILE", help="YAML/JSON auth file: identities, logins, operations to skip")
    parser.add_argument("--routes-from", metavar="PATH", help="take the routes from Bastion's static map of this source tree (or a saved `bastion audit -f map` JSON)")
    parser.add_argument("--max-requests", type=int, default=5000, metavar="N", help="request budget (default: 5000)")
    parser.add_argument("--max-time", type=float, default=900.0, metavar="S", help="time budget in seconds (default: 900)")
    parser.add_argument("--concurrency", type=int, default=4, metavar="N", help="requests in flight at once (default: 4)")
    parser.add_argument("--timeout", type=float, default=10.0, metavar="S", help="seconds to wait for one answer (default: 10)")
    parser.add_argument("--allow-host", action="append", dest="allow_hosts", default=[], metavar="HOST",
                        help="also test this non-loopback host (repeatable; only hosts you are authorised to test)")
    parser.add_argument("--allow-destructive", action="store_true", help="also send DELETE and operations marked destructive")
    parser.add_argument("--check", action="append", dest="checks", metavar="NAME", help="run only this check family (repeatable)")
    parser.add_argument("--skip-check", action="append", dest="exclude_checks", metavar="NAME", help="do not run this check family")
    parser.add_argument("--delay", type=float, default=2.0, metavar="S", help="sleep asked of time-based payloads (default: 2)")
    parser.add_argument("--burst", type=int, default=30, metavar="N", help="attempts in a rate-limit burst (default: 30)")
    parser.add_argument("--ca-file", metavar="FILE", help="CA bundle to verify an internal HTTPS certificate against")
    parser.add_argument("-f", "--format", action="append", dest="formats", metavar="FMT",
                        help="text, json, sarif, markdown or junit (repeatable; pairs with --output in order)")
    parser.add_argument("-o", "--output", action="append", dest="outputs", metavar="FILE", help="write the matching --format to FILE")
    parser.add_argument("--fail-on", choices=SEVERITIES + ["never"], default="medium",
                        help="exit 1 if a finding is at or above this severity (default: medium)")
    parser.add_argument("--no-progress", action="store_true", help="never show the progress display")
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing; only the exit code tells")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import bastion
    from bastion.interfaces.cli.progress import phase_progress
    from bastion.interfaces.cli.scan import output_pairs, write_reports
    from bastion.dast.options import DastError

    pairs = output_pairs(args)
    with phase_progress(enabled=not (args.no_progress or args.quiet)) as progress:
        try:
            report = bastion.dast_scan(
                args.target, openapi=args.openapi, auth=args.auth, routes_from=args.routes_from,
                max_requests=args.max_requests, max_time=args.max_time, concurrency=args.concurrency,
                timeout=args.timeout, allow_hosts=args.allow_hosts, allow_destructive=args.allow_destructive,
                checks=args.checks, exclude_checks=args.exclude_checks, delay=args.delay, burst=args.burst,
                ca_file=args.ca_file, fail_on=args.fail_on, progress=progress)
        except DastError as exc:
            raise UsageError(str(exc)) from None
    write_reports(report, pairs, quiet=args.quiet)
    if args.quiet:
        return report.exit_code
    s = report.summary
    print(f"dast: {s.requests_sent} requests, {s.operations_covered}/{s.operations_total} operations covered, "
          f"{s.duration_seconds:.1f} s, {len(report.findings)} confirmed finding(s)"
          + (f" (stopped early: {s.stopped_early})" if s.stopped_early else ""), file=sys.stderr)
    return report.exit_code
