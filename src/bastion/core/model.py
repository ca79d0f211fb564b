"""The one finding model every engine produces and every report consumes.

Nothing here imports the rest of Bastion: engines, filters and reports all
depend on this module, never the other way round.
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, field, replace
from typing import Any


class Severity(str, enum.Enum):
    """How bad a finding is if real. Ordered: CRITICAL > ... > INFO."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    @classmethod
    def parse(cls, value: str) -> "Severity":
        try:
            return cls(value.strip().lower())
        except ValueError:
            choices = ", ".join(s.value for s in cls)
            raise ValueError(f"unknown severity {value!r} (choose from {choices})") from None


_SEVERITY_RANK = {Severity.CRITICAL: 4, Severity.HIGH: 3, Severity.MEDIUM: 2, Severity.LOW: 1, Severity.INFO: 0}


class Confidence(str, enum.Enum):
    """How sure the engine is that the finding is real."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        return _CONFIDENCE_RANK[self]

    @classmethod
    def parse(cls, value: str) -> "Confidence":
        try:
            return cls(value.strip().lower())
        except ValueError:
            choices = ", ".join(c.value for c in cls)
            raise ValueError(f"unknown confidence {value!r} (choose from {choices})") from None


_CONFIDENCE_RANK = {Confidence.HIGH: 2, Confidence.MEDIUM: 1, Confidence.LOW: 0}


@dataclass(frozen=True, order=True)
class Location:
    """A region of a file. Lines and columns are 1-based; end is inclusive of the line, exclusive of the column."""

    path: str
    line: int
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line if self.end_line is not None else self.line,
            "end_column": self.end_column,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Location":
        return cls(data["path"], data["line"], data.get("column", 1), data.get("end_line"), data.get("end_column"))


@dataclass(frozen=True)
class Endpoint:
    """Where a runtime finding lives: an HTTP method, URL and parameter, with the evidence that proves it."""

    method: str
    url: str
    parameter: str | None = None
    request: str | None = None
    response: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass(frozen=True)
class TraceStep:
    """One hop of a data flow: where the value was and what happened to it there."""

    location: Location
    note: str
    kind: str = "step"  # "source", "step" or "sink"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "note": self.note, "location": self.location.to_dict()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "TraceStep":
        return cls(Location.from_dict(data["location"]), data["note"], data.get("kind", "step"))


@dataclass(frozen=True)
class TextEdit:
    """Replace the text between two positions (1-based line, 1-based column, end exclusive)."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    replacement: str

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Fix:
    """A machine-applicable fix: a description and the edits that perform it."""

    description: str
    edits: tuple[TextEdit, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"description": self.description, "edits": [e.to_dict() for e in self.edits]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Fix":
        return cls(data["description"], tuple(TextEdit(**e) for e in data["edits"]))


@dataclass(frozen=True)
class Incident:
    """What a runtime log finding groups: one client's lines for one signal, from first to last sight.

    ``client`` is who did it (an address after trusted proxies, a user, or the service itself for
    error-rate spikes); times are ISO 8601 UTC strings (empty when the log has none); ``lines`` are
    the first few log lines counted (the ``count`` may be much larger).
    """

    signal: str
    client: str
    first_seen: str
    last_seen: str
    count: int
    lines: tuple[Location, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"signal": self.signal, "client": self.client, "first_seen": self.first_seen,
                "last_seen": self.last_seen, "count": self.count, "lines": [loc.to_dict() for loc in self.lines]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Incident":
        return cls(data["signal"], data["client"], data["first_seen"], data["last_seen"], data["count"],
                   tuple(Location.from_dict(loc) for loc in data.get("lines", ())))


@dataclass(frozen=True)
class Finding:
    """One weakness found by one rule at one place.

    ``attack`` holds MITRE ATT&CK technique ids (``T1190``) beside the CWE ids, and
    ``incident`` the grouped log lines of a runtime finding (``bastion logs``).

    ``fingerprint_key`` is what identifies the finding beyond rule and file:
    by default the normalized source line, so that the fingerprint survives
    line moves and unrelated edits. Engines whose snippet must not leak (the
    secret scanner) pass a digest of the secret instead.
    """

    rule_id: str
    title: str
    message: str
    severity: Severity
    confidence: Confidence
    location: Location
    engine: str
    language: str | None = None
    cwe: tuple[int, ...] = ()
    owasp: str | None = None
    snippet: str = ""
    trace: tuple[TraceStep, ...] = ()
    fix_guidance: str = ""
    fix: Fix | None = None
    endpoint: Endpoint | None = None
    properties: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    fingerprint_key: str | None = None
    fingerprint: str = ""
    attack: tuple[str, ...] = ()
    incident: Incident | None = None

    def sort_key(self) -> tuple:
        loc = self.location
        return (loc.path, loc.line, loc.column, self.rule_id, self.message, self.fingerprint)

    def with_fingerprint(self, occurrence: int) -> "Finding":
        return replace(self, fingerprint=compute_fingerprint(self, occurrence))

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "rule_id": self.rule_id,
            "title": self.title,
            "message": self.message,
            "severity": self.severity.value,
            "confidence": self.confidence.value,
            "engine": self.engine,
            "language": self.language,
            "cwe": list(self.cwe),
            "owasp": self.owasp,
            "location": self.location.to_dict(),
            "snippet": self.snippet,
            "trace": [s.to_dict() for s in self.trace],
            "fix_guidance": self.fix_guidance,
            "fix": self.fix.to_dict() if self.fix else None,
            "endpoint": self.endpoint.to_dict() if self.endpoint else None,
            "properties": self.properties,
            "fingerprint": self.fingerprint,
        }
        if self.attack:
            data["attack"] = list(self.attack)
        if self.incident is not None:
            data["incident"] = self.incident.to_dict()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Finding":
        """Inverse of :meth:`to_dict` (plus ``fingerprint_key``), used by the cache."""
        return cls(
            rule_id=data["rule_id"],
            title=data["title"],
            message=data["message"],
            severity=Severity(data["severity"]),
            confidence=Confidence(data["confidence"]),
            location=Location.from_dict(data["location"]),
            engine=data["engine"],
            language=data.get("language"),
            cwe=tuple(data.get("cwe", ())),
            owasp=data.get("owasp"),
            snippet=data.get("snippet", ""),
            trace=tuple(TraceStep.from_dict(s) for s in data.get("trace", ())),
            fix_guidance=data.get("fix_guidance", ""),
            fix=Fix.from_dict(data["fix"]) if data.get("fix") else None,
            endpoint=Endpoint(**data["endpoint"]) if data.get("endpoint") else None,
            properties=data.get("properties") or {},
            fingerprint_key=data.get("fingerprint_key"),
            fingerprint=data.get("fingerprint", ""),
            attack=tuple(data.get("attack", ())),
            incident=Incident.from_dict(data["incident"]) if data.get("incident") else None,
        )


def normalize_code(text: str) -> str:
    """Collapse whitespace so that re-indentation does not change identity."""
    return " ".join(text.split())


def compute_fingerprint(finding: Finding, occurrence: int) -> str:
    """A stable identity: rule + file + what the code says (not where it is) + which repeat.

    ``occurrence`` counts earlier findings of the same rule, file and key, so
    two identical lines in one file keep distinct fingerprints.
    """
    key = finding.fingerprint_key if finding.fingerprint_key is not None else normalize_code(finding.snippet)
    material = "\x1f".join((finding.rule_id, finding.location.path, key, str(occurrence)))
    return hashlib.sha256(material.encode("utf-8", "surrogatepass")).hexdigest()[:32]


@dataclass(frozen=True)
class Rule:
    """A rule's identity and its documentation, written the way ruff documents rules.

    ``what``, ``why``, ``vulnerable`` and ``fixed`` serve ``bastion rules
    show``, SARIF ``help`` and the generated docs alike.
    """

    id: str
    title: str
    engine: str
    severity: Severity
    confidence: Confidence
    cwe: tuple[int, ...]
    what: str
    why: str
    vulnerable: str
    fixed: str
    languages: tuple[str, ...] = ()
    owasp: str | None = None
    references: tuple[str, ...] = ()
    fix_guidance: str = ""
    tags: tuple[str, ...] = ()
    attack: tuple[str, ...] = ()  # MITRE ATT&CK technique ids, for runtime (log) rules

    def help_markdown(self) -> str:
        lang = self.languages[0] if self.languages else ""
        refs = "\n".join(f"- {r}" for r in self.references)
        cwes = ", ".join(f"CWE-{c}" for c in self.cwe)
        parts = [
            f"## {self.id}: {self.title}",
            f"**Severity** {self.severity.value} · **Confidence** {self.confidence.value} · {cwes}"
            + (f" · OWASP {self.owasp}" if self.owasp else "")
            + (f" · ATT&CK {', '.join(self.attack)}" if self.attack else ""),
            f"### What it finds\n{self.what}",
            f"### Why it matters\n{self.why}",
            f"### Vulnerable\n```{lang}\n{self.vulnerable.rstrip()}\n```",
            f"### Fixed\n```{lang}\n{self.fixed.rstrip()}\n```",
        ]
        if self.fix_guidance:
            parts.append(f"### How to fix\n{self.fix_guidance}")
        if refs:
            parts.append(f"### References\n{refs}")
        return "\n\n".join(parts) + "\n"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "engine": self.engine,
            "severity": self.severity.value,
            "confidence": self.confidence.value,
            "cwe": list(self.cwe),
            "owasp": self.owasp,
            "languages": list(self.languages),
            "what": self.what,
            "why": self.why,
            "vulnerable": self.vulnerable,
            "fixed": self.fixed,
            "fix_guidance": self.fix_guidance,
            "references": list(self.references),
            "tags": list(self.tags),
            **({"attack": list(self.attack)} if self.attack else {}),
        }

    def finding(self, message: str, location: Location, **extra: Any) -> Finding:
        """Build a finding of this rule, taking the metadata from the rule."""
        values: dict[str, Any] = {
            "rule_id": self.id,
            "title": self.title,
            "message": message,
            "severity": self.severity,
            "confidence": self.confidence,
            "location": location,
            "engine": self.engine,
            "cwe": self.cwe,
            "owasp": self.owasp,
            "fix_guidance": self.fix_guidance,
            "language": self.languages[0] if len(self.languages) == 1 else None,
            "attack": self.attack,
        }
        values.update(extra)
        return Finding(**values)


@dataclass(frozen=True)
class Note:
    """Something the user should know that is not a finding: a skipped file, a parser failure, a stale database.

    ``kind`` "failure" is Bastion's own fault (a check raised, a worker process died): what that check would have
    found is unknown, so a scan with one fails closed (exit 2) whatever ``strict`` says. "error" is the input's
    (a malformed file, a blown budget): the rest is analysed, and ``strict`` decides whether that fails the scan.
    """

    kind: str  # "failure", "error", "skipped", "warning", "info" (see ``NOTE_KINDS``)
    message: str
    path: str | None = None
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}
