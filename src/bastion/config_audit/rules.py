"""The configuration audit's rules, built from their documentation in ``rules.toml`` (:mod:`bastion.core.rulebook`).

Each applies to its own file formats: a table's ``languages`` key says which.
"""

from __future__ import annotations

from pathlib import Path

from bastion.core import rulebook
from bastion.core.model import Rule

ENGINE = "config_audit"
_FILE = Path(__file__).with_name("rules.toml")


RULES: dict[str, Rule] = rulebook.load(_FILE, ENGINE, ())


def take(*ids: str) -> tuple[Rule, ...]:
    """The rules of these ids, in this order: a checker module's catalogue."""
    return tuple(RULES[rule_id] for rule_id in ids)


def rules_digest() -> str:
    """Part of the engine's cache salt: edited docs change cached findings' texts."""
    return rulebook.digest(_FILE)
