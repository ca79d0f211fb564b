"""``bastion mcp``: serve Bastion's tools to an AI assistant over MCP (stdio)."""

from __future__ import annotations

import argparse
from pathlib import Path

from bastion.interfaces.cli import EXIT_OK, UsageError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "mcp", help="run the MCP server (stdio) for AI assistants",
        description="Serve harden_prompt, scan_code, scan_path, check_packages and explain_rule over MCP on "
                    "standard input/output. scan_path only reads inside --root.")
    parser.add_argument("--root", default=".",
                        help="project folder the assistant may scan; its Bastion configuration applies (default: .)")
    parser.add_argument("--online", action="store_true",
                        help="let check_packages ask the package registries whether names and versions exist "
                             "(network; off by default)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    root = Path(args.root)
    if not root.is_dir():
        raise UsageError(f"--root is not a folder: {args.root}")
    from bastion.interfaces.mcp_server import serve

    serve(root, online=args.online)
    return EXIT_OK
