"""Options of ``[tool.bastion.secrets]``, validated: a typo must not silently weaken the scan."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bastion.core.config import ConfigError
from bastion.secrets import catalog

#: Paths holding tests and fixtures: there a generic `password = "..."` is reported only when
#: it is long and random (medium confidence); provider formats are always reported. gitignore syntax.
DEFAULT_TEST_PATHS = (
    "test/", "tests/", "__tests__/", "spec/", "testdata/", "fixtures/",
    "test_*.py", "*_test.py", "*_test.go", "*.test.*", "*.spec.*", "conftest.py",
)


@dataclass(frozen=True)
class SecretsOptions:
    show_secrets: bool = False
    disable_detectors: frozenset[str] = frozenset()
    test_paths: tuple[str, ...] = DEFAULT_TEST_PATHS
    entropy_threshold: float = 3.0
    history_max_blob_size: int = 8 * 1024 * 1024
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


def _bool(key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"secrets.{key} must be true or false, got {value!r}")
    return value


def _strings(key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"secrets.{key} must be a list of strings, got {value!r}")
    return tuple(value)


def parse(options: dict[str, Any] | None) -> SecretsOptions:
    """Validate the engine's option table; raise ConfigError naming the bad key."""
    options = dict(options or {})
    known = {"show_secrets", "disable_detectors", "test_paths", "extra_test_paths", "entropy_threshold", "fingerprint_salt", "history_max_blob_size"}
    unknown = sorted(set(options) - known)
    if unknown:
        raise ConfigError(f"unknown option secrets.{unknown[0]} (known: {', '.join(sorted(known))})")
    result: dict[str, Any] = {}
    if "show_secrets" in options:
        result["show_secrets"] = _bool("show_secrets", options["show_secrets"])
    if "disable_detectors" in options:
        ids = _strings("disable_detectors", options["disable_detectors"])
        valid = {d.id for d in catalog.detectors()}
        bad = [i for i in ids if i not in valid]
        if bad:
            raise ConfigError(f"secrets.disable_detectors: unknown detector {bad[0]!r} (see `bastion secrets detectors`)")
        result["disable_detectors"] = frozenset(ids)
    test_paths = _strings("test_paths", options["test_paths"]) if "test_paths" in options else DEFAULT_TEST_PATHS
    if "extra_test_paths" in options:
        test_paths += _strings("extra_test_paths", options["extra_test_paths"])
    result["test_paths"] = test_paths
    if "entropy_threshold" in options:
        value = options["entropy_threshold"]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 8:
            raise ConfigError(f"secrets.entropy_threshold must be a number between 0 and 8, got {value!r}")
        result["entropy_threshold"] = float(value)
    if "fingerprint_salt" in options:
        raise ConfigError("secrets.fingerprint_salt is no longer read: a salt in a committed file is public, so "
                          "fingerprints keyed with it could be tested against guesses. Share a secret key through "
                          "CI configuration instead (BASTION_FINGERPRINT_KEY) and remove this key")
    if "history_max_blob_size" in options:
        value = options["history_max_blob_size"]
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ConfigError(f"secrets.history_max_blob_size must be a positive integer, got {value!r}")
        result["history_max_blob_size"] = value
    return SecretsOptions(**result)
