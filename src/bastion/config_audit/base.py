"""What every config-audit checker shares: finding emission, secret-name detection."""

from __future__ import annotations

from typing import Any

import re2

from bastion.core.engine_api import SourceFile
from bastion.core.model import Finding, Location, Rule
from bastion.core.redaction import hide, secret_fingerprint


class Emitter:
    """Builds findings for one file: location, snippet (the fingerprint material) and language in one place."""

    def __init__(self, file: SourceFile, language: str):
        self.file = file
        self.language = language

    def __call__(self, rule: Rule, message: str, line: int, column: int = 1, secret: str | None = None,
                 **extra: Any) -> Finding:
        """A finding on ``line``; a ``secret`` value on it is hidden in the snippet and fingerprinted with
        the user's key (never a digest of the line that holds it)."""
        line = max(1, line)
        extra.setdefault("language", self.language)
        snippet = self.file.line(line).strip()
        if secret:
            snippet = hide(snippet, secret)
            extra["fingerprint_key"] = secret_fingerprint(secret)
        return rule.finding(message, Location(self.file.path, line, column), snippet=snippet, **extra)


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
