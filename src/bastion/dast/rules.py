"""The dast rules, documented in ``rules.toml`` beside this file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from bastion.core import rulebook
from bastion.core.model import Rule

RULES_FILE = Path(__file__).with_name("rules.toml")


@lru_cache(maxsize=1)
def dast_rules() -> dict[str, Rule]:
    return rulebook.load(RULES_FILE, "dast", ())
