"""Configuration: ``[tool.bastion]`` in pyproject.toml or a bastion.toml, validated."""

from __future__ import annotations


class ConfigError(ValueError):
    """A configuration key or value is wrong; the message names it."""
