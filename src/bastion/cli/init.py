"""``bastion init``: add Bastion to a repository's CI and pre-commit, never overwriting what is there.

``bastion init assistant`` writes security instruction files for AI assistants.
"""

from __future__ import annotations

import argparse
from importlib import resources
from pathlib import Path

from bastion.cli import UsageError

WORKFLOW_PATH = Path(".github/workflows/bastion.yml")
PRECOMMIT_PATH = Path(".pre-commit-config.yaml")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("init", help="add Bastion to CI and pre-commit (or: init assistant)")
    parser.add_argument("target", nargs="?", choices=["ci", "assistant"], default="ci",
                        help="ci (default): GitHub Actions workflow and pre-commit hook; assistant: instruction files")
    parser.add_argument("--root", default=".", help="the repository (default: .)")
    parser.set_defaults(handler=run)


def _template(name: str) -> str:
    return resources.files("bastion.templates").joinpath(name).read_text(encoding="utf-8")


def init_ci(root: Path) -> list[str]:
    """Write the workflow if absent and add the pre-commit hook if not listed; return what was done."""
    done = []
    workflow = root / WORKFLOW_PATH
    if workflow.exists():
        done.append(f"kept {WORKFLOW_PATH} (exists)")
    else:
        workflow.parent.mkdir(parents=True, exist_ok=True)
        workflow.write_text(_template("github-workflow.yml"), encoding="utf-8")
        done.append(f"wrote {WORKFLOW_PATH}")
    precommit = root / PRECOMMIT_PATH
    entry = _template("pre-commit-entry.yaml")
    if not precommit.exists():
        precommit.write_text("repos:\n" + entry, encoding="utf-8")
        done.append(f"wrote {PRECOMMIT_PATH}")
    else:
        existing = precommit.read_text(encoding="utf-8", errors="replace")
        if "id: bastion" in existing:
            done.append(f"kept {PRECOMMIT_PATH} (already has the bastion hook)")
        elif existing.rstrip().endswith("repos:") or "\nrepos:" in "\n" + existing:
            separator = "" if existing.endswith("\n") else "\n"
            precommit.write_text(existing + separator + entry, encoding="utf-8")
            done.append(f"added the bastion hook to {PRECOMMIT_PATH}")
        else:
            raise UsageError(f"{PRECOMMIT_PATH} has no top-level 'repos:' list; add this entry by hand:\n{entry}")
    return done


def run(args: argparse.Namespace) -> int:
    root = Path(args.root)
    if not root.is_dir():
        raise UsageError(f"{root} is not a folder")
    if args.target == "assistant":
        try:
            from bastion.prompt import write_assistant_files
        except ImportError:
            raise UsageError("assistant instruction files need the prompt module, which is not installed") from None
        for line in write_assistant_files(root):
            print(line)
        return 0
    for line in init_ci(root):
        print(line)
    return 0
