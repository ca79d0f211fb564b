"""Bastion's own secrets data scans clean: rule examples and detector templates are stand-ins by the engine's own judgement."""

from __future__ import annotations

import pytest

from bastion.secrets import catalog, scan_text
from bastion.secrets.rules import RULES


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_rule_examples_are_stand_ins(rule_id: str) -> None:
    rule = RULES[rule_id]
    assert scan_text(rule.vulnerable, "docs/example.py") == []
    assert scan_text(rule.fixed, "docs/example.py") == []


def test_detector_templates_are_stand_ins() -> None:
    assert scan_text(catalog._data(), "src/bastion/secrets/detectors.toml") == []
