"""The JavaScript engine's rules, built from their documentation in ``rules.toml`` (:mod:`bastion.core.rulebook`).

Rule ids are shared with the Python engine where the weakness is the same;
the docs here show JavaScript examples.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from bastion.core.model import Rule
from bastion.core import rulebook

ENGINE = "javascript"
_FILE = Path(__file__).with_name("rules.toml")


@lru_cache(maxsize=1)
def load_rules() -> dict[str, Rule]:
    return rulebook.load(_FILE, ENGINE, ("javascript", "typescript"))


def rules_digest() -> str:
    return rulebook.digest(_FILE)
