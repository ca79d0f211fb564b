"""The configuration audit's rules, built from their documentation in ``rules.toml`` (:mod:`bastion.rulebook`).

Unlike other engines' rules, each applies to its own file formats: a table's ``languages`` key says which.
"""

from __future__ import annotations

import tomllib
from dataclasses import replace
from pathlib import Path

from bastion import rulebook
from bastion.model import Rule

ENGINE = "config_audit"
_FILE = Path(__file__).with_name("rules.toml")


def _load() -> dict[str, Rule]:
    """The rulebook's rules with their own languages; code samples keep their text as written (no final newline)."""
    docs = tomllib.loads(_FILE.read_text("utf-8"))
    return {rule_id: replace(rule, languages=tuple(docs[rule_id]["languages"]), vulnerable=rule.vulnerable.strip(),
                             fixed=rule.fixed.strip())
            for rule_id, rule in rulebook.load(_FILE, ENGINE, ()).items()}


RULES: dict[str, Rule] = _load()


def take(*ids: str) -> tuple[Rule, ...]:
    """The rules of these ids, in this order: a checker module's catalogue."""
    return tuple(RULES[rule_id] for rule_id in ids)


def rules_digest() -> str:
    """Part of the engine's cache salt: edited docs change cached findings' texts."""
    return rulebook.digest(_FILE)
