"""``[tool.bastion.deps]`` options, validated: a typo is an error naming the key, never a silent default."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bastion.config import ConfigError
from bastion.deps.db import STALE_DAYS


@dataclass(frozen=True)
class DepsOptions:
    db_dir: str | None = None  # advisory database folder; None: $BASTION_DB_DIR or the user cache
    online: bool = False  # ask the registries (existence, age, yanked)
    lookalike: bool = True  # offline check of names against popular packages
    pypi_url: str | None = None
    npm_url: str | None = None
    new_package_days: int = 30
    stale_days: int = STALE_DAYS
    timeout: float = 20.0

    def registry_options(self) -> dict[str, Any]:
        return {"pypi_url": self.pypi_url, "npm_url": self.npm_url, "timeout": self.timeout}


_TYPES = {
    "db_dir": (str,),
    "online": (bool,),
    "lookalike": (bool,),
    "pypi_url": (str,),
    "npm_url": (str,),
    "new_package_days": (int,),
    "stale_days": (int,),
    "timeout": (int, float),
}


def parse_options(raw: dict[str, Any] | None) -> DepsOptions:
    """Build :class:`DepsOptions` from a config table; raise ConfigError on an unknown key or a wrong value."""
    values: dict[str, Any] = {}
    for key, value in (raw or {}).items():
        if key not in _TYPES:
            raise ConfigError(f"[tool.bastion.deps] unknown key '{key}' (known: {', '.join(sorted(_TYPES))})")
        expected = _TYPES[key]
        if isinstance(value, bool) and bool not in expected or not isinstance(value, expected):
            names = " or ".join(t.__name__ for t in expected)
            raise ConfigError(f"[tool.bastion.deps] '{key}' must be {names}, got {value!r}")
        if key in ("new_package_days", "stale_days", "timeout") and value <= 0:
            raise ConfigError(f"[tool.bastion.deps] '{key}' must be positive, got {value!r}")
        if key.endswith("_url") and not value.startswith(("http://", "https://")):
            raise ConfigError(f"[tool.bastion.deps] '{key}' must be an http(s) URL, got {value!r}")
        values[key] = value
    return DepsOptions(**values)
