"""The files other tools read to run Bastion: pre-commit's hook list and the composite GitHub Action."""

from __future__ import annotations

import shlex
from pathlib import Path

import yaml

from bastion.interfaces.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]


def test_pre_commit_hook_entry_is_a_valid_command():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "bastion")
    words = shlex.split(hook["entry"])
    assert words[0] == "bastion"
    args = build_parser().parse_args(words[1:] + ["a.py", "b.js"])  # pre-commit appends the staged files
    assert args.paths == ["a.py", "b.js"] and args.fail_on == "medium"


def test_composite_action_runs_a_valid_scan():
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    script = action["runs"]["steps"][-1]["run"]
    assert "--format sarif" in script and '"$SARIF"' in script
    assert ".ci/install-locked.sh" in action["runs"]["steps"][0]["run"]
    assert "--require-hashes" in (ROOT / ".ci" / "install-locked.sh").read_text()
    args = build_parser().parse_args(["scan", ".", "--no-progress", "--fail-on", "high", "--format", "text",
                                      "--format", "sarif", "--output", "/dev/stdout", "--output", "x.sarif",
                                      "--diff", "origin/main"])
    assert args.formats == ["text", "sarif"] and args.diff == "origin/main"
