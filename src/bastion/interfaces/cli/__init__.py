"""The ``bastion`` command: a thin face over the public API.

Each command group lives in its own module with a ``register(subparsers)``
function that adds its parser and sets ``handler`` (a function of the parsed
arguments returning the exit code). Adding a command is a module and one entry
in :data:`COMMAND_MODULES`.

Exit codes: 0 clean, 1 findings at or above the threshold, 2 usage or internal error.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from bastion import __version__
from bastion.sast.build import build_name
from bastion.core.config import ConfigError

COMMAND_MODULES = [
    "bastion.interfaces.cli.scan",
    "bastion.interfaces.cli.rules",
    "bastion.interfaces.cli.baseline",
    "bastion.interfaces.cli.init",
    "bastion.interfaces.cli.deps",
    "bastion.interfaces.cli.prompt",
    "bastion.interfaces.cli.mcp",
    "bastion.interfaces.cli.secrets",
    "bastion.interfaces.cli.logs",
    "bastion.interfaces.cli.audit",
    "bastion.interfaces.cli.dast",
]

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class UsageError(Exception):
    """A problem with what the user asked for; printed without a traceback, exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits with 2 already; keep its message short
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"bastion: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="bastion", description="Security guardrails for code written with AI assistants.")
    parser.add_argument("--version", action="version", version=f"bastion {__version__} (SAST: {build_name()})")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    subparsers.required = True
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except (UsageError, ConfigError) as exc:
        print(f"bastion: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("bastion: interrupted", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        return EXIT_ERROR
    except Exception as exc:  # the last line of defence: no traceback reaches a user
        print(f"bastion: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        print("Please report this with the command you ran. Set BASTION_DEBUG=1 for details.", file=sys.stderr)
        import os

        if os.environ.get("BASTION_DEBUG"):
            import traceback

            traceback.print_exc()
        return EXIT_ERROR


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
