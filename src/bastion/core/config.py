"""Configuration: ``[tool.bastion]`` in pyproject.toml or a bastion.toml, validated.

Every key is checked: an unknown key or a wrong value raises
:class:`ConfigError` naming it, because a typo that silently disables a rule
is worse than no config at all. Tables named after an engine
(``[tool.bastion.secrets]``) are passed to that engine, which validates them.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bastion.core.model import Confidence, Severity


class ConfigError(ValueError):
    """A configuration key or value is wrong; the message names it."""


@dataclass
class Config:
    """Effective settings for a scan: file config, then command-line overrides."""

    engines: list[str] | None = None  # None: every registered engine
    disable_engines: list[str] = field(default_factory=list)
    enable_rules: list[str] | None = None  # None: every rule of the enabled engines
    disable_rules: list[str] = field(default_factory=list)
    severity_overrides: dict[str, Severity] = field(default_factory=dict)
    exclude: list[str] = field(default_factory=list)
    max_file_size: int = 2 * 1024 * 1024
    min_severity: Severity = Severity.INFO
    min_confidence: Confidence = Confidence.LOW
    fail_on: Severity | None = Severity.MEDIUM
    strict: bool = False  # exit 2 when any analysis is incomplete (a budget, an engine failure, an unread lockfile)
    require_suppression_reason: bool = False
    report_unused_suppressions: bool = True
    jobs: int = 0  # 0: one per core
    file_timeout: float = 30.0  # seconds of analysis per file
    file_memory_mb: int = 2048  # address-space budget per worker above its start
    taint_models: list[str] = field(default_factory=list)
    scan_vendored: bool = False  # scan third-party folders, library copies and bundles too
    vendored: list[str] = field(default_factory=list)  # more third-party paths (gitignore syntax)
    test_paths: list[str] | None = None  # None: noise.DEFAULT_TEST_PATHS
    test_max_severity: Severity | None = Severity.LOW  # None: test code findings keep their severity
    cache_dir: str | None = None  # the API caller's choice only: a config file cannot set it (see parse_config)
    engine_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    source: str | None = None  # the file the config came from, for messages
    warnings: list[str] = field(default_factory=list)  # keys the file had that were ignored, and why

    def digest(self) -> str:
        """What part of the config changes per-file results: keys the per-file cache."""
        material = {
            "engines": self.engines,
            "disable_engines": self.disable_engines,
            "engine_options": self.engine_options,
            "taint_models": self.taint_models,
        }
        return hashlib.sha256(json.dumps(material, sort_keys=True, default=str).encode()).hexdigest()[:16]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


#: Numbers above this are no setting anyone means (and a float or a timer cannot hold some of them).
_MAX_NUMBER = 2**53


def _shown(value: Any) -> str:
    """A value for an error message: short, and never failing (an integer of 5,000 digits has no repr)."""
    try:
        text = repr(value)
    except ValueError:
        return f"an integer of about {int(value.bit_length() * 0.30103)} digits"
    return text if len(text) <= 80 else text[:77] + "..."


def _list_of_str(key: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"'{key}' must be a list of strings, got {_shown(value)}")
    return list(value)


def _positive_int(key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= _MAX_NUMBER:
        raise ConfigError(f"'{key}' must be a non-negative integer, got {_shown(value)}")
    return value


def _positive_number(key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= _MAX_NUMBER:
        raise ConfigError(f"'{key}' must be a positive number, got {_shown(value)}")
    return float(value)


def _bool(key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"'{key}' must be true or false, got {_shown(value)}")
    return value


def _severity(key: str, value: Any) -> Severity:
    try:
        return Severity.parse(str(value))
    except ValueError as exc:
        raise ConfigError(f"'{key}': {exc}") from None


def _confidence(key: str, value: Any) -> Confidence:
    try:
        return Confidence.parse(str(value))
    except ValueError as exc:
        raise ConfigError(f"'{key}': {exc}") from None


def _fail_on(key: str, value: Any) -> Severity | None:
    if isinstance(value, str) and value.lower() == "never":
        return None
    return _severity(key, value)


def _severity_or_none(key: str, value: Any) -> Severity | None:
    if isinstance(value, str) and value.lower() == "none":
        return None
    return _severity(key, value)


def _severity_map(key: str, value: Any) -> dict[str, Severity]:
    if not isinstance(value, dict):
        raise ConfigError(f"'{key}' must be a table of rule-id = severity")
    return {rule: _severity(f"{key}.{rule}", sev) for rule, sev in value.items()}


#: key in the file -> (attribute, validator)
_KEYS = {
    "engines": ("engines", _list_of_str),
    "disable-engines": ("disable_engines", _list_of_str),
    "rules": ("enable_rules", _list_of_str),
    "disable-rules": ("disable_rules", _list_of_str),
    "severity": ("severity_overrides", _severity_map),
    "exclude": ("exclude", _list_of_str),
    "max-file-size": ("max_file_size", _positive_int),
    "min-severity": ("min_severity", _severity),
    "min-confidence": ("min_confidence", _confidence),
    "fail-on": ("fail_on", _fail_on),
    "strict": ("strict", _bool),
    "require-suppression-reason": ("require_suppression_reason", _bool),
    "report-unused-suppressions": ("report_unused_suppressions", _bool),
    "jobs": ("jobs", _positive_int),
    "file-timeout": ("file_timeout", _positive_number),
    "file-memory-mb": ("file_memory_mb", _positive_int),
    "taint-models": ("taint_models", _list_of_str),
    "scan-vendored": ("scan_vendored", _bool),
    "vendored": ("vendored", _list_of_str),
    "test-paths": ("test_paths", _list_of_str),
    "test-max-severity": ("test_max_severity", _severity_or_none),
}

#: Keys a scanned repository's config may no longer set, with what the user should know instead.
_IGNORED_KEYS = {
    "cache-dir": "'cache-dir' is ignored: a scanned repository's config cannot choose where Bastion writes; "
                 "the result cache lives in your cache folder (set BASTION_CACHE_DIR to move it)",
}


#: Tables read by a command rather than an engine; the command validates their keys where it uses them.
TOOL_SECTIONS = frozenset({"prompt"})


def parse_config(table: dict[str, Any], source: str | None = None, engine_names: list[str] | None = None) -> Config:
    """Validate a ``[tool.bastion]`` table into a :class:`Config`."""
    from bastion.core.engines import all_engine_names

    known_engines = set(engine_names if engine_names is not None else all_engine_names())
    where = f" in {source}" if source else ""
    config = Config(source=source)
    for key, value in table.items():
        normalized = key.replace("_", "-")
        if normalized in _IGNORED_KEYS:
            config.warnings.append(f"{_IGNORED_KEYS[normalized]}{where}")
        elif normalized in _KEYS:
            attribute, validate = _KEYS[normalized]
            try:
                setattr(config, attribute, validate(key, value))
            except ConfigError as exc:
                raise ConfigError(f"{exc}{where}") from None
        elif key in known_engines:
            if not isinstance(value, dict):
                raise ConfigError(f"'{key}' must be a table of options for the {key} engine{where}")
            config.engine_options[key] = value
        elif key in TOOL_SECTIONS:
            if not isinstance(value, dict):
                raise ConfigError(f"'{key}' must be a table{where}")
        else:
            valid = ", ".join(sorted(_KEYS) + sorted(known_engines) + sorted(TOOL_SECTIONS))
            raise ConfigError(f"unknown key '{key}'{where} (valid keys: {valid})")
    for name in (config.engines or []) + config.disable_engines:
        if name not in known_engines:
            raise ConfigError(f"unknown engine '{name}'{where} (known: {', '.join(sorted(known_engines))})")
    return config


def find_config_file(start: Path) -> Path | None:
    """The nearest bastion.toml, or pyproject.toml with a [tool.bastion] table, at or above ``start``."""
    here = start if start.is_dir() else start.parent
    for folder in (here, *here.parents):
        candidate = folder / "bastion.toml"
        if candidate.is_file():
            return candidate
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and _bastion_table(_read_toml(candidate), candidate) is not None:
            return candidate
        if (folder / ".git").exists():
            break
    return None


#: A configuration file is a few KB; one in a scanned tree may be hostile, so it is read up to this size.
MAX_CONFIG_BYTES = 1024 * 1024


def _read_toml(path: Path) -> dict[str, Any]:
    """The TOML document at ``path``; any way it cannot be one is a :class:`ConfigError` naming the file."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_CONFIG_BYTES + 1)
        if len(data) > MAX_CONFIG_BYTES:
            raise ConfigError(f"{path} is larger than {MAX_CONFIG_BYTES // 1024} KB: not a configuration file")
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path} is not UTF-8 text (byte {exc.start}): TOML files must be UTF-8") from None
    except (tomllib.TOMLDecodeError, ValueError) as exc:  # ValueError: an integer of thousands of digits
        raise ConfigError(f"{path} is not valid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{path} nests tables or arrays too deeply to be a configuration file") from None
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None


def _bastion_table(data: dict[str, Any], path: Path) -> Any:
    """``[tool.bastion]`` of a pyproject.toml (None when absent); a ``tool`` that is not a table is an error."""
    tool = data.get("tool")
    if tool is None:
        return None
    if not isinstance(tool, dict):
        raise ConfigError(f"'tool' in {path} must be a table (as in [tool.bastion]), got {type(tool).__name__}")
    return tool.get("bastion")


def load_config(path: Path | None) -> Config:
    """Load and validate the config at ``path`` (None: defaults)."""
    if path is None:
        return Config()
    data = _read_toml(path)
    if path.name == "pyproject.toml":
        table = _bastion_table(data, path) or {}
    else:  # bastion.toml: the keys at the top, or under [tool.bastion] as in pyproject.toml
        table = _bastion_table(data, path) if "tool" in data else data
    if not isinstance(table, dict):
        raise ConfigError(f"[tool.bastion] in {path} must be a table")
    return parse_config(table, source=str(path))
