"""The outcome of a scan: what every report format renders and the API returns."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from bastion.core.model import Finding, Note, Rule, Severity

#: Skips that leave a file unanalysed although an engine wanted it (binary or minified files are left on purpose).
_UNREAD = frozenset({"too-large", "unreadable"})

#: Version of the JSON report schema (docs/json-report.md). Bump on breaking change.
JSON_SCHEMA_VERSION = "1.0"


@dataclass
class ScanStats:
    files_scanned: int = 0
    lines_scanned: int = 0
    files_from_cache: int = 0
    skipped: Counter = field(default_factory=Counter)  # reason -> count
    duration_seconds: float = 0.0
    engines: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "files_scanned": self.files_scanned,
            "lines_scanned": self.lines_scanned,
            "files_from_cache": self.files_from_cache,
            "skipped": dict(sorted(self.skipped.items())),
            "engines": list(self.engines),
        }


@dataclass
class Report:
    """Findings that passed every filter, plus what was filtered and why, and the rules involved.

    ``findings`` are sorted by path, line, column, rule: reports are deterministic.
    ``rules`` maps every rule id that appears in ``findings`` (and any other
    enabled rule) to its documentation, for SARIF and Markdown.
    """

    root: str
    findings: list[Finding]
    rules: dict[str, Rule]
    notes: list[Note] = field(default_factory=list)
    stats: ScanStats = field(default_factory=ScanStats)
    suppressed: int = 0
    baselined: int = 0
    below_threshold: int = 0
    outside_diff: int = 0
    fail_on: Severity | None = Severity.MEDIUM
    tool_version: str = ""
    strict: bool = False  # any incomplete analysis exits 2 (``--strict``)
    #: (rule id, engine) -> that engine's documentation of the rule: one rule id reported by two engines
    #: (``sql-injection`` in Python and JavaScript) has each language's own examples.
    rule_variants: dict[tuple[str, str], Rule] = field(default_factory=dict)

    def rule_for(self, finding: Finding) -> Rule | None:
        """The documentation of ``finding``'s rule in the finding's own engine (and so language)."""
        return self.rule_variants.get((finding.rule_id, finding.engine)) or self.rules.get(finding.rule_id)
    #: What a command other than ``scan`` adds to the summary (``bastion logs``: lines read,
    #: counts per signal, top clients); rendered by the JSON and text formats when not empty.
    details: dict[str, Any] = field(default_factory=dict)

    def counts_by_severity(self) -> dict[str, int]:
        counts = Counter(f.severity.value for f in self.findings)
        return {s.value: counts.get(s.value, 0) for s in Severity}

    def counts_by_engine(self) -> dict[str, int]:
        return dict(sorted(Counter(f.engine for f in self.findings).items()))

    def failing(self) -> list[Finding]:
        """Findings at or above the ``fail_on`` severity: these decide the exit code."""
        if self.fail_on is None:
            return []
        return [f for f in self.findings if f.severity.rank >= self.fail_on.rank]

    def incomplete(self) -> list[Note]:
        """Notes saying something was not analysed to the end: a file cut off by a budget, an engine that
        failed, a lockfile that could not be read, a file too large or unreadable. A clean result with any of
        these is not a clean tree, and ``strict`` makes it exit 2."""
        return [n for n in self.notes
                if n.kind in ("failure", "error") or (n.kind == "skipped" and n.reason in _UNREAD)]

    def failures(self) -> list[Note]:
        """Checks that could not run because of Bastion itself (see ``Note``): these always exit 2."""
        return [n for n in self.notes if n.kind == "failure"]

    def incomplete_paths(self) -> list[str]:
        return sorted({n.path for n in self.incomplete() if n.path})

    @property
    def exit_code(self) -> int:
        if self.failures() or (self.strict and self.incomplete()):
            return 2
        return 1 if self.failing() else 0
