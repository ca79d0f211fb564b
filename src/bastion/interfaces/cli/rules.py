"""``bastion rules``: list the rules (filter by engine, language, CWE, severity) and show one's docs."""

from __future__ import annotations

import argparse
import json
import sys

from bastion.interfaces.cli import UsageError
from bastion.core.model import Severity


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("rules", help="list rules or show a rule's documentation")
    parser.add_argument("action", nargs="?", choices=["list", "show"], default="list")
    parser.add_argument("rule_id", nargs="?", metavar="ID", help="with 'show': the rule to document")
    parser.add_argument("--engine", help="only rules of this engine")
    parser.add_argument("--language", help="only rules for this language")
    parser.add_argument("--cwe", help="only rules with this CWE (89 or CWE-89)")
    parser.add_argument("--severity", choices=[s.value for s in Severity], help="only rules at or above this severity")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(handler=run)


def _matches(rule, args: argparse.Namespace) -> bool:
    if args.engine and rule.engine != args.engine:
        return False
    if args.language and rule.languages and args.language.lower() not in rule.languages:
        return False
    if args.cwe:
        wanted = args.cwe.upper().removeprefix("CWE-")
        if not wanted.isdigit():
            raise UsageError(f"--cwe takes a number such as 89 or CWE-89, not {args.cwe!r}")
        if int(wanted) not in rule.cwe:
            return False
    if args.severity and rule.severity.rank < Severity(args.severity).rank:
        return False
    return True


def run(args: argparse.Namespace) -> int:
    from bastion.core.rules import all_variants, rule_variants

    if args.action == "show":
        if not args.rule_id:
            raise UsageError("'rules show' needs a rule id (see 'bastion rules')")
        variants = rule_variants(args.rule_id)
        if not variants:
            raise UsageError(f"no rule {args.rule_id!r} (see 'bastion rules')")
        if args.language or args.engine:
            variants = tuple(v for v in variants if _matches(v, args))
            if not variants:
                raise UsageError(f"rule {args.rule_id!r} has no variant for that language or engine")
        if args.json:
            print(json.dumps([v.to_dict() for v in variants], indent=2))
        else:
            _print_markdown("\n".join(v.help_markdown() for v in variants))
        return 0
    selected = sorted((r for r in all_variants() if _matches(r, args)), key=lambda r: (r.id, r.engine))
    if args.json:
        print(json.dumps([r.to_dict() for r in selected], indent=2))
        return 0
    rows = [(rule.id, rule.engine, ",".join(rule.languages), rule.severity.value, ",".join(str(c) for c in rule.cwe),
             rule.title) for rule in selected]
    if not sys.stdout.isatty():
        # A pipe gets whole fields, one rule a line, tab-separated (as `cut -f1` and `awk -F'\t'` expect):
        # a table sized for a terminal would cut ids short or wrap them.
        sys.stdout.write("".join("\t".join(row) + "\n" for row in rows))
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table("rule", "engine", "languages", "severity", "CWE", "title", box=None)
    for row in rows:
        table.add_row(*row)
    console = Console()
    console.print(table)
    console.print(f"{len(selected)} rule(s)")
    return 0


def _print_markdown(text: str) -> None:
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.markdown import Markdown

        Console().print(Markdown(text))
    else:
        sys.stdout.write(text)
