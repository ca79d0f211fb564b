"""What decides whether a finding is shown: suppressions, baseline, diff, thresholds.

Each filter is a small pure function over findings so that the API, the CLI
and the MCP server apply them the same way.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from bastion.core.model import Confidence, Finding, Severity

# A comment marker, then `bastion: ignore` or `bastion: ignore[rule-a, rule-b]`, optionally followed by
# ` -- reason` or `reason: ...`. Linear: no nested quantifiers, bracket content excludes the closing bracket.
_SUPPRESSION = re.compile(r"(?:#|//|/\*|<!--|--|;)[ \t]*bastion:[ \t]?ignore(?:\[([^\]\n]*)\])?([^\n]*)")
_COMMENT_ONLY = re.compile(r"^\s*(?:#|//|/\*|\*|<!--|--|;)")
_QUOTES = "\"'`"


def _first_outside_strings(line: str) -> re.Match[str] | None:
    """The first suppression on ``line`` that is not inside a string literal opening on the line.

    A suppression written inside a string (a rule's documentation example, a
    test's input) is text, not a comment: it must neither silence nor be
    reported as unused. The line is walked once, carrying the string state
    from one candidate to the next (a line of many candidates stays linear).
    """
    quote = None
    index = 0
    for match in _SUPPRESSION.finditer(line):
        position = match.start()
        while index < position:
            char = line[index]
            if quote is None:
                if char in _QUOTES:
                    quote = char
            elif char == "\\":
                index += 1
            elif char == quote:
                quote = None
            index += 1
        if quote is None and index == position:
            return match
    return None


@dataclass(frozen=True)
class Suppression:
    """An inline suppression comment. ``rules`` None means every rule."""

    line: int  # the line the comment is on
    target_line: int  # the line it silences: its own, or the next when the comment stands alone
    rules: tuple[str, ...] | None
    reason: str

    def covers(self, finding: Finding) -> bool:
        if self.rules is None:
            return True
        return finding.rule_id in self.rules

    def to_dict(self) -> dict:
        return {"line": self.line, "target_line": self.target_line, "rules": self.rules, "reason": self.reason}

    @classmethod
    def from_dict(cls, data: dict) -> "Suppression":
        rules = tuple(data["rules"]) if data.get("rules") is not None else None
        return cls(data["line"], data["target_line"], rules, data.get("reason", ""))


def parse_suppressions(lines: list[str]) -> list[Suppression]:
    """Find suppression comments; a comment alone on its line applies to the next code line.

    Linear in the file: the next code line after each line is found in one
    backward pass, not by a forward search from every comment (20,000
    suppression comments in a row took 45 s).
    """
    found = []
    next_code: list[int] | None = None
    for index, line in enumerate(lines):
        if "bastion:" not in line:
            continue
        match = _first_outside_strings(line)
        if not match:
            continue
        rules = None
        if match.group(1) is not None:
            rules = tuple(r.strip() for r in match.group(1).split(",") if r.strip())
        tail = match.group(2).strip().rstrip("*/->").strip()
        reason = tail[2:].strip() if tail.startswith("--") else tail.split(":", 1)[1].strip() if tail.lower().startswith("reason:") else ""
        number = index + 1
        target = number
        if _COMMENT_ONLY.match(line):
            if next_code is None:
                next_code = _next_code_lines(lines)
            target = next_code[index]
        found.append(Suppression(number, target, rules, reason))
    return found


def _next_code_lines(lines: list[str]) -> list[int]:
    """For each line (0-based), the 1-based number of the first later line that is neither blank nor only a
    comment (one past the end when there is none)."""
    result = [0] * len(lines)
    following = len(lines) + 1
    for index in range(len(lines) - 1, -1, -1):
        result[index] = following
        line = lines[index]
        if line.strip() and not _COMMENT_ONLY.match(line):
            following = index + 1
    return result


@dataclass
class SuppressionOutcome:
    kept: list[Finding]
    suppressed: list[Finding]
    unused: list[tuple[str, Suppression]]  # (path, suppression)
    missing_reason: list[tuple[str, Suppression]]


def apply_suppressions(findings: list[Finding], suppressions: dict[str, list[Suppression]],
                       require_reason: bool = False) -> SuppressionOutcome:
    """Drop findings silenced by a comment on their line or the line above; note the comments that silenced nothing."""
    by_target: dict[tuple[str, int], list[Suppression]] = defaultdict(list)
    missing = []
    for path, items in suppressions.items():
        for item in items:
            if require_reason and not item.reason:
                missing.append((path, item))
                continue
            by_target[(path, item.target_line)].append(item)
    used: set[tuple[str, int]] = set()
    kept, suppressed = [], []
    for finding in findings:
        candidates = by_target.get((finding.location.path, finding.location.line), [])
        match = next((s for s in candidates if s.covers(finding)), None)
        if match is None:
            kept.append(finding)
        else:
            suppressed.append(finding)
            used.add((finding.location.path, match.line))
    unused = [(path, s) for (path, _), items in sorted(by_target.items()) for s in items if (path, s.line) not in used]
    return SuppressionOutcome(kept, suppressed, unused, missing)


def passes_thresholds(finding: Finding, min_severity: Severity, min_confidence: Confidence) -> bool:
    return finding.severity.rank >= min_severity.rank and finding.confidence.rank >= min_confidence.rank


# --- baseline ---------------------------------------------------------------------------------

BASELINE_VERSION = 1


def write_baseline(findings: Iterable[Finding], path: Path) -> int:
    """Record the fingerprints of ``findings`` so later scans hide them; returns how many."""
    entries = sorted(
        ({"fingerprint": f.fingerprint, "rule_id": f.rule_id, "path": f.location.path} for f in findings),
        key=lambda e: (e["path"], e["rule_id"], e["fingerprint"]),
    )
    path.write_text(json.dumps({"version": BASELINE_VERSION, "findings": entries}, indent=2) + "\n", encoding="utf-8")
    return len(entries)


def load_baseline(path: Path) -> set[str]:
    """Fingerprints recorded in a baseline file; a clear ValueError if it is not one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValueError(f"cannot read baseline {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ValueError(f"baseline {path} is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"baseline {path} is not valid JSON: {exc}") from None
    except RecursionError:
        raise ValueError(f"baseline {path} nests arrays or objects too deeply to be a Bastion baseline") from None
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise ValueError(f"baseline {path} is not a Bastion baseline (no 'findings' list)")
    return {str(e.get("fingerprint")) for e in data["findings"] if isinstance(e, dict)}


# --- diff mode --------------------------------------------------------------------------------

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


class DiffError(ValueError):
    """The git ref or repository for --diff could not be used."""


def changed_lines(root: Path, ref: str) -> dict[str, set[int] | None]:
    """Lines added or changed since ``ref``, per path relative to ``root``; None means the whole file is new.

    ``--relative`` and ``ls-files`` both answer relative to the working folder, so a root below the
    repository's top level needs no path rewriting. Git runs through :mod:`bastion.host.git` (no program the
    repository configures runs). Each failure says which step failed and why.
    """
    from bastion.host import git

    if not ref or ref.startswith("-"):
        raise DiffError(f"{ref!r} is not a git ref (a branch, tag or commit such as origin/main or HEAD~1)")
    try:
        git.executable()
    except git.GitError as exc:
        raise DiffError(str(exc)) from None
    try:
        git.run(root, "rev-parse", "--show-toplevel")
    except git.GitError as exc:
        raise DiffError(f"{root} is not inside a git working tree ({exc})") from None
    try:
        git.run(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    except git.GitError:
        raise DiffError(f"no commit {ref!r} in this repository (in CI, fetch it first: "
                        f"`git fetch origin <branch>`, or check out with fetch-depth: 0)") from None
    try:
        output = git.run(root, *git.diff_args("--unified=0", "--relative", ref, "--")).decode("utf-8", "surrogateescape")
        untracked = git.run(root, "ls-files", "-z", "--others", "--exclude-standard").decode("utf-8", "surrogateescape")
    except git.GitError as exc:
        raise DiffError(f"git could not compare the working tree with {ref!r}: {exc}") from None
    changes: dict[str, set[int] | None] = {}
    current: str | None = None
    for line in output.splitlines():
        if line.startswith("+++ "):
            name = _unquote(line[4:])
            current = None if name == "/dev/null" else name[2:] if name.startswith("b/") else name
            if current is not None:
                changes.setdefault(current, set())
        elif current is not None and (match := _HUNK.match(line)):
            start, count = int(match.group(1)), int(match.group(2) or "1")
            lines = changes[current]
            if lines is not None:
                lines.update(range(start, start + count))
    for name in untracked.split("\0"):
        if name:
            changes[name] = None
    return changes


_C_ESCAPES = {"a": 7, "b": 8, "t": 9, "n": 10, "v": 11, "f": 12, "r": 13, '"': 34, "\\": 92}


def _unquote(name: str) -> str:
    """A path as git prints it in a diff header: C-quoted (``"b/we\\"ird.py"``, octal bytes) when it holds
    a quote, a backslash or a control character. A file must not leave ``--diff`` by its name alone."""
    if not (len(name) >= 2 and name[0] == '"' and name[-1] == '"'):
        return name
    out = bytearray()
    text, i = name[1:-1], 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            nxt, digits = text[i + 1], text[i + 1:i + 4]
            if len(digits) == 3 and all(c in "01234567" for c in digits):
                out.append(int(digits, 8) & 0xFF)
                i += 4
                continue
            out.append(_C_ESCAPES.get(nxt, ord(nxt) if ord(nxt) < 128 else 63))
            i += 2
            continue
        out += char.encode("utf-8", "surrogateescape")
        i += 1
    return out.decode("utf-8", "surrogateescape")


def in_diff(finding: Finding, changes: dict[str, set[int] | None]) -> bool:
    if finding.location.path not in changes:
        return False
    lines = changes[finding.location.path]
    if lines is None:
        return True
    end = finding.location.end_line or finding.location.line
    return any(n in lines for n in range(finding.location.line, end + 1))
