"""``[tool.bastion.deps]`` options, validated: a typo is an error naming the key, never a silent default.

``allow_stale_db`` is also read from ``BASTION_ALLOW_STALE_DB=1`` in the environment when neither the
config nor a flag sets it (the Makefile's demo on the bundled, old offline snapshot)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from bastion.core.config import ConfigError
from bastion.deps.db import MAX_AGE_DAYS


@dataclass(frozen=True)
class DepsOptions:
    db_dir: str | None = None  # advisory database folder; None: $BASTION_DB_DIR or the user cache
    online: bool = False  # ask the registries (existence, age, yanked)
    lookalike: bool = True  # offline check of names against popular packages
    pypi_url: str | None = None
    npm_url: str | None = None
    new_package_days: int = 30
    max_db_age_days: int = MAX_AGE_DAYS  # older advisory data stops the scan (exit 2)...
    allow_stale_db: bool = False  # ...unless the user accepts a missing or old database (then a warning)
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
    "max_db_age_days": (int,),
    "allow_stale_db": (bool,),
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
        if key in ("new_package_days", "max_db_age_days", "timeout") and value <= 0:
            raise ConfigError(f"[tool.bastion.deps] '{key}' must be positive, got {value!r}")
        if key.endswith("_url") and not value.startswith(("http://", "https://")):
            raise ConfigError(f"[tool.bastion.deps] '{key}' must be an http(s) URL, got {value!r}")
        values[key] = value
    if "allow_stale_db" not in values and os.environ.get("BASTION_ALLOW_STALE_DB") == "1":
        values["allow_stale_db"] = True  # the user's environment (a wrapper on an old offline snapshot)
    return DepsOptions(**values)
