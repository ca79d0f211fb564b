"""``bastion secrets``: history-only scanning and the detector catalog.

``bastion scan --engine secrets [--history]`` is the secrets-only scan of a
tree; this group adds what has no place there: scanning a repository's
history alone (a bare mirror, say) and listing the detectors.
"""

from __future__ import annotations

import json
import sys

from bastion.interfaces.cli import EXIT_FINDINGS, EXIT_OK, UsageError


def register(subparsers) -> None:
    parser = subparsers.add_parser("secrets", help="secret scanning: git history, detector catalog")
    sub = parser.add_subparsers(dest="secrets_command", metavar="SUBCOMMAND")
    sub.required = True
    history = sub.add_parser("history", help="scan every blob reachable from any ref of a git repository (bare or not)")
    history.add_argument("path", nargs="?", default=".", help="repository (default: .)")
    history.add_argument("--show-secrets", action="store_true", help="print secret values in full (default: redacted)")
    history.add_argument("-f", "--format", choices=["text", "json"], default="text")
    history.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    history.add_argument("-j", "--jobs", type=int, metavar="N",
                         help="processes scanning blobs (default: every CPU on machines of four or more)")
    history.set_defaults(handler=run_history)
    detectors = sub.add_parser("detectors", help="list the credential formats Bastion recognises")
    detectors.add_argument("-f", "--format", choices=["text", "json"], default="text")
    detectors.set_defaults(handler=run_detectors)


def run_history(args) -> int:
    import bastion
    from bastion.interfaces.cli.progress import terminal_progress

    try:
        with terminal_progress(not args.no_progress) as progress:
            result = bastion.secrets_history(args.path, show_secrets=args.show_secrets, jobs=args.jobs,
                                             progress=progress)
    except bastion.ScanError as exc:
        raise UsageError(str(exc)) from None
    findings, notes = result.findings, result.notes
    if args.format == "json":
        json.dump({"findings": [f.to_dict() for f in findings], "notes": [n.to_dict() for n in notes]}, sys.stdout, indent=2, sort_keys=True)
        sys.stdout.write("\n")
    else:
        for f in findings:
            p = f.properties
            print(f"{f.location.path}:{f.location.line}: {f.severity.value} {f.rule_id} [{p['detector']}] {p['secret']}")
            print(f"    commit {p['commit'][:12]} by {p['author']} on {p['date'][:10]}; {'still in HEAD' if p['in_head'] else 'only in history'}")
            print(f"    revoke: {p['revoke']}")
        for n in notes:
            print(f"note ({n.kind}): {n.message}", file=sys.stderr)
        print(f"{len(findings)} secret(s) in history", file=sys.stderr)
    return EXIT_FINDINGS if findings else EXIT_OK


def run_detectors(args) -> int:
    from bastion.secrets.catalog import detectors

    dets = detectors()
    if args.format == "json":
        rows = [{"id": d.id, "provider": d.provider, "name": d.name, "rule": d.rule, "severity": d.severity.value, "revoke": d.revoke} for d in dets]
        json.dump(rows, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        for d in dets:
            print(f"{d.id:38} {d.provider:28} {d.name}")
        print(f"{len(dets)} detectors, {len({d.provider for d in dets})} providers", file=sys.stderr)
    return EXIT_OK
