"""The dependency audit's rules, built from their documentation in ``rules.toml`` (:mod:`bastion.core.rulebook`)."""

from __future__ import annotations

from pathlib import Path

from bastion.core import rulebook
from bastion.core.model import Rule

ENGINE = "deps"
_FILE = Path(__file__).with_name("rules.toml")

RULES: dict[str, Rule] = rulebook.load(_FILE, ENGINE, ())

VULNERABLE = RULES["vulnerable-dependency"]
UNPINNED = RULES["unpinned-dependency"]
LOOKALIKE = RULES["lookalike-package"]
NONEXISTENT = RULES["nonexistent-package"]
YANKED = RULES["yanked-dependency"]
NEW_PACKAGE = RULES["recently-published-package"]

ALL_RULES = (VULNERABLE, UNPINNED, LOOKALIKE, NONEXISTENT, YANKED, NEW_PACKAGE)
