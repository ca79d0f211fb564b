"""The four rules the secrets engine reports, built from their documentation in ``rules.toml``
(:mod:`bastion.core.rulebook`); detectors say which one a format belongs to.
"""

from __future__ import annotations

from pathlib import Path

from bastion.core import rulebook
from bastion.core.model import Rule

ENGINE = "secrets"
OWASP = "A07:2021-Identification and Authentication Failures"
_FILE = Path(__file__).with_name("rules.toml")

RULES: dict[str, Rule] = rulebook.load(_FILE, ENGINE, ())
