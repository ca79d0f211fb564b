"""What every config-audit checker shares: finding emission, secret-name detection."""

from __future__ import annotations

from typing import Any

import re2

from bastion.engine_api import SourceFile
from bastion.model import Finding, Location, Rule


class Emitter:
    """Builds findings for one file: location, snippet (the fingerprint material) and language in one place."""

    def __init__(self, file: SourceFile, language: str):
        self.file = file
        self.language = language

    def __call__(self, rule: Rule, message: str, line: int, column: int = 1, **extra: Any) -> Finding:
        line = max(1, line)
        extra.setdefault("language", self.language)
        return rule.finding(message, Location(self.file.path, line, column), snippet=self.file.line(line).strip(),
                            **extra)


_SECRET_NAME = re2.compile(r"(?i)(passw(or)?d|passwd|secret|token|api_?key|apikey|access_?key|private_?key"
                           r"|credential|auth_?key|client_?secret|signing_?key|encryption_?key)")
_NOT_A_SECRET_SUFFIX = ("_FILE", "_PATH", "_DIR", "_FILES", "_LOCATION", "_TTL", "_EXPIRY", "_EXPIRES", "_NAME",
                        "_ID", "_URL_PATH", "_LENGTH", "_HEADER", "_TYPE", "_ENDPOINT")


def is_secret_name(name: str) -> bool:
    """Whether an environment variable name says it holds a credential (``DB_PASSWORD``, not ``DB_PASSWORD_FILE``)."""
    upper = name.upper()
    return bool(_SECRET_NAME.search(name)) and not upper.endswith(_NOT_A_SECRET_SUFFIX)


def is_reference(value: str) -> bool:
    """Whether a value only points at a secret held elsewhere (``${VAR}``, ``$VAR``) or is empty."""
    stripped = value.strip().strip("\"'")
    return not stripped or stripped.startswith("$")
