"""``bastion prompt``: harden a coding request, or build a review prompt from a file's findings."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bastion.interfaces.cli import EXIT_OK, UsageError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "prompt", help="harden a coding request with security requirements for an AI assistant",
        description="Restate TASK with the security requirements, secure patterns and acceptance checks it needs. "
                    "TASK '-' reads the task from standard input.")
    parser.add_argument("task", nargs="?", help="the coding request, in quotes (or '-' for stdin)")
    parser.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    parser.add_argument("--guidelines", action="append", metavar="DIR",
                        help="folder of team guidelines (Markdown/text) to quote from; repeatable")
    parser.add_argument("--persona", action="store_true",
                        help="add a reviewer persona line (off by default: studies found it helps least)")
    parser.add_argument("--review", metavar="FILE", help="build a review prompt from Bastion's findings for FILE")
    parser.add_argument("--language", help="python, javascript or typescript (default: from the task or project)")
    parser.add_argument("--framework", help="flask, django, fastapi or express (default: from the task or project)")
    parser.add_argument("--root", default=".", help="project to take the stack and settings from (default: .)")
    parser.add_argument("--top-k", type=int, default=None, help="guideline passages to add (default 3)")
    parser.add_argument("--words", type=int, default=None, metavar="N",
                        help="word budget of a one-theme prompt (default 320; grows with the themes)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import bastion

    if args.review:
        if args.task:
            raise UsageError("give either TASK or --review FILE, not both")
        try:
            review = bastion.review_prompt(args.review, persona=args.persona, root=args.root)
        except bastion.ScanError as exc:
            raise UsageError(str(exc)) from None
        sys.stdout.write(review.render(args.format))
        return EXIT_OK
    task = sys.stdin.read() if args.task == "-" else args.task
    if not task or not task.strip():
        raise UsageError("give the coding request as TASK (or '-' to read it from stdin)")
    if not Path(args.root).is_dir():
        raise UsageError(f"--root is not a folder: {args.root}")
    try:
        hardened = bastion.harden_prompt(task, root=args.root, guidelines=args.guidelines, persona=args.persona,
                                         language=args.language, framework=args.framework, top_k=args.top_k,
                                         word_budget=args.words)
    except bastion.ScanError as exc:
        raise UsageError(str(exc)) from None
    sys.stdout.write(hardened.render(args.format))
    return EXIT_OK
