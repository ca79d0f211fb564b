"""The ``[tool.bastion.prompt]`` settings: guideline folders and how many passages to add.

Read from the project's bastion.toml or pyproject.toml, validated here
because only prompt hardening uses them; a wrong key raises ConfigError
naming it, like every other Bastion setting.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from bastion.core.config import ConfigError, find_config_file
from bastion.prompt.budget import DEFAULT_BUDGET

SECTION = "prompt"


def validate(table: Any, base: Path, source: str = "config") -> dict[str, Any]:
    """Check a prompt settings table; guideline paths become absolute, relative to ``base``."""
    if not isinstance(table, dict):
        raise ConfigError(f"[tool.bastion.{SECTION}] in {source} must be a table")
    options: dict[str, Any] = {"guidelines": [], "top_k": 3, "words": DEFAULT_BUDGET}
    for key, value in table.items():
        normalized = key.replace("_", "-")
        if normalized == "guidelines":
            values = [value] if isinstance(value, str) else value
            if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
                raise ConfigError(f"'{SECTION}.guidelines' in {source} must be a folder or a list of folders")
            options["guidelines"] = [str((base / v).resolve()) for v in values]
        elif normalized == "top-k":
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 20:
                raise ConfigError(f"'{SECTION}.top-k' in {source} must be an integer from 0 to 20, got {value!r}")
            options["top_k"] = value
        elif normalized == "words":
            if isinstance(value, bool) or not isinstance(value, int) or not 100 <= value <= 5000:
                raise ConfigError(f"'{SECTION}.words' in {source} must be an integer from 100 to 5000, got {value!r}")
            options["words"] = value
        else:
            raise ConfigError(f"unknown key '{SECTION}.{key}' in {source} (valid keys: guidelines, top-k, words)")
    return options


def load_prompt_options(start: Path) -> dict[str, Any]:
    """The prompt settings of the project containing ``start`` (defaults when there is none)."""
    path = find_config_file(start.resolve())
    if path is None:
        return validate({}, start)
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from None
    table = data.get("tool", {}).get("bastion", {}) if path.name == "pyproject.toml" else data
    if path.name != "pyproject.toml" and "tool" in table:
        table = table.get("tool", {}).get("bastion", table)
    return validate(table.get(SECTION, {}), path.parent, str(path))
