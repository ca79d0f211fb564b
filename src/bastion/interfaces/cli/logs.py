"""``bastion logs``: attack signals, leaks and alerts from real logs; ``bastion logs rules`` for alerting stacks.

``bastion logs [PATH...]`` reads files, folders (rotated ``.gz`` included) or
``-`` and reports one finding per incident in any report format, with the exit
codes of ``scan``. ``--follow`` prints an alert line per new incident as it
happens (and serves metrics with ``--metrics-port``). ``bastion logs rules --for
prometheus|loki|fail2ban`` writes alerting rules (a path named ``rules`` is
read as ``./rules``).
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from bastion.interfaces.cli import EXIT_OK, UsageError
from bastion.core.model import Severity

SEVERITIES = [s.value for s in Severity]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "logs", help="attack signals, leaks and alerts from web server and application logs",
        description="Read access, error, JSON, journald and text logs; report incidents. "
                    "`bastion logs rules --for prometheus|loki|fail2ban` writes alerting rules.")
    parser.add_argument("paths", nargs="*", default=["-"], help="log files, folders, or '-' for stdin (default: -)")
    parser.add_argument("--input-format", choices=["auto", "access", "error", "json", "journald", "text"], default="auto",
                        help="the logs' format (default: recognised from the first lines)")
    parser.add_argument("--nginx-conf", metavar="FILE", help="nginx.conf whose log_format / access_log layouts to use")
    parser.add_argument("--log-format", metavar="NAME", help="with --nginx-conf: the log_format the files are in")
    parser.add_argument("--trusted-proxy", action="append", default=[], metavar="CIDR",
                        help="address or network of a reverse proxy whose X-Forwarded-For is believed (repeatable; "
                             "private addresses are trusted unless --no-trust-private)")
    parser.add_argument("--no-trust-private", action="store_true", help="do not treat private addresses as proxies")
    parser.add_argument("--alert-private", action="store_true", help="judge the behaviour of private addresses too")
    parser.add_argument("--health-path", action="append", default=[], metavar="PATH", help="another health-check path to ignore")
    parser.add_argument("--login-path", action="append", default=[], metavar="PATH",
                        help="the application's login route (repeatable; default: paths that look like one)")
    parser.add_argument("--source", metavar="DIR", help="the application's source tree: link signals to routes, handlers, "
                        "SAST findings and logging calls; its login routes tune brute-force detection and rules")
    parser.add_argument("--window", type=float, metavar="SECONDS", help="behaviour window (default 300)")
    parser.add_argument("-f", "--format", action="append", dest="formats", metavar="FMT",
                        help="text, json, sarif, markdown or junit (repeatable; pairs with --output)")
    parser.add_argument("-o", "--output", action="append", dest="outputs", metavar="FILE", help="write the matching --format to FILE")
    parser.add_argument("--min-severity", choices=SEVERITIES, help="hide findings below this severity")
    parser.add_argument("--fail-on", choices=SEVERITIES + ["never"], default="medium",
                        help="exit 1 if a finding is at or above this severity (default: medium)")
    parser.add_argument("--follow", action="store_true", help="keep reading as the logs grow (survives rotation)")
    parser.add_argument("--from-start", action="store_true", help="with --follow: read the files from their start first")
    parser.add_argument("--metrics-port", type=int, metavar="N", help="with --follow: serve Prometheus metrics on this port")
    parser.add_argument("--metrics-address", default="127.0.0.1", metavar="ADDR", help="address for --metrics-port (default 127.0.0.1)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing; only the exit code tells")
    rules = parser.add_argument_group("bastion logs rules")
    rules.add_argument("--for", dest="target", choices=["prometheus", "loki", "fail2ban"], help="rules for which tool")
    rules.add_argument("--output-dir", metavar="DIR", help="write the rule files here (default: print them)")
    rules.add_argument("--access-log", metavar="PATH", help="the access log the fail2ban jails read")
    rules.add_argument("--alert-log", metavar="PATH", help="where `bastion logs --follow` output is appended (fail2ban)")
    rules.add_argument("--selector", metavar="LOGQL", help="Loki stream selector of the access log (default {job=\"nginx\"})")
    parser.set_defaults(handler=run)


def _options(args: argparse.Namespace) -> dict:
    thresholds = {"window": args.window} if args.window else {}
    return {"input_format": args.input_format, "nginx_conf": args.nginx_conf, "log_format": args.log_format,
            "trusted_proxies": args.trusted_proxy, "trust_private_proxies": not args.no_trust_private,
            "alert_private": args.alert_private, "health_paths": args.health_path, "login_paths": args.login_path,
            "thresholds": thresholds, "source": args.source}


def run(args: argparse.Namespace) -> int:
    if args.paths[:1] == ["rules"]:
        return run_rules(args)
    if args.target:
        raise UsageError("--for goes with `bastion logs rules`")
    from bastion.logs import LogRunError

    try:
        if args.follow:
            return _follow(args)
        if args.metrics_port is not None:
            raise UsageError("--metrics-port goes with --follow")
        from bastion.logs import analyze_logs

        report = analyze_logs(args.paths, fail_on=args.fail_on, min_severity=args.min_severity, **_options(args))
    except LogRunError as exc:
        raise UsageError(str(exc)) from None
    from bastion.interfaces.cli.scan import output_pairs, write_reports

    write_reports(report, output_pairs(args), quiet=args.quiet)
    return report.exit_code


def _follow(args: argparse.Namespace) -> int:
    from bastion.logs.alerts import alert_json, alert_line
    from bastion.logs.run import follow_logs

    as_json = (args.formats or ["text"])[0] == "json"
    stop = {"now": False}

    def on_alert(finding) -> None:
        if not args.quiet:
            print(alert_json(finding) if as_json else alert_line(finding), flush=True)

    def stop_now(*_):
        stop["now"] = True

    signal.signal(signal.SIGTERM, stop_now)
    try:
        follow_logs(args.paths, on_alert=on_alert, should_stop=lambda: stop["now"], metrics_port=args.metrics_port,
                    metrics_address=args.metrics_address, from_start=args.from_start, **_options(args))
    except KeyboardInterrupt:
        pass
    return EXIT_OK


def run_rules(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from bastion.logs.options import Thresholds
    from bastion.logs.rulegen import RuleSettings, generate

    if len(args.paths) > 1:
        raise UsageError("`bastion logs rules` takes no paths")
    if not args.target:
        raise UsageError("`bastion logs rules` needs --for prometheus, loki or fail2ban")
    settings = RuleSettings(thresholds=Thresholds(window=args.window) if args.window else Thresholds())
    routes = tuple(args.login_path)
    if not routes and args.source:
        from bastion.logs.linking import build

        if not Path(args.source).is_dir():
            raise UsageError(f"--source {args.source}: not a directory")
        routes = build(args.source).login_routes()
    changes = {"access_log": args.access_log, "alert_log": args.alert_log, "access_selector": args.selector,
               "login_routes": routes or None}
    settings = replace(settings, **{k: v for k, v in changes.items() if v})
    files = generate(args.target, settings)
    if not args.output_dir:
        for name, text in files.items():
            sys.stdout.write(f"# ---- {name}\n{text}")
        return EXIT_OK
    root = Path(args.output_dir)
    for name, text in files.items():
        path = root / name
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot write {path}: {exc.strerror}") from None
        print(f"wrote {path}", file=sys.stderr)
    return EXIT_OK
