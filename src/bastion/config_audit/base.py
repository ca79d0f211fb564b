"""What every config-audit checker shares: rule construction, finding emission, secret-name detection."""

from __future__ import annotations

from typing import Any

import re2

from bastion.engine_api import SourceFile
from bastion.model import Confidence, Finding, Location, Rule, Severity

ENGINE = "config_audit"

A01 = "A01:2021-Broken Access Control"
A02 = "A02:2021-Cryptographic Failures"
A03 = "A03:2021-Injection"
A04 = "A04:2021-Insecure Design"
A05 = "A05:2021-Security Misconfiguration"
A06 = "A06:2021-Vulnerable and Outdated Components"
A07 = "A07:2021-Identification and Authentication Failures"
A08 = "A08:2021-Software and Data Integrity Failures"
A10 = "A10:2021-Server-Side Request Forgery"


def rule(id: str, title: str, severity: str, confidence: str, cwe: tuple[int, ...], owasp: str,
         languages: tuple[str, ...], what: str, why: str, vulnerable: str, fixed: str,
         references: tuple[str, ...], fix_guidance: str = "") -> Rule:
    """A config-audit rule; severity and confidence are given as their names to keep the catalogues short."""
    return Rule(id=id, title=title, engine=ENGINE, severity=Severity(severity), confidence=Confidence(confidence),
                cwe=cwe, what=what, why=why, vulnerable=vulnerable, fixed=fixed, languages=languages, owasp=owasp,
                references=references, fix_guidance=fix_guidance, tags=("config",))


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
