"""Applying machine-applicable fixes (``Finding.fix``) to files, or previewing them as a patch.

One convention for every command that fixes (``scan --fix``, ``deps --fix``):
``--fix`` writes the files, ``--fix --dry-run`` prints the patch and changes
nothing. A fix is applied whole or not at all: when two fixes touch the same
text, the first (by position) wins and the other is named as a conflict, and
the command exits 2 so a CI job notices. Identical fixes carried by several
findings (one upgrade for several advisories of a package) are applied once.

The printed patch is what ``git apply`` and ``patch -p1`` accept: lines are
split at ``\\n`` only (as git and the parsers count them), and a last line
without a newline is marked ``\\ No newline at end of file``.
"""

from __future__ import annotations

import difflib
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from bastion.core.engine_api import decode_bytes
from bastion.core.model import Finding, Fix, TextEdit
from bastion.host.files import read_confined

_MAX_FIXED_FILE = 64 * 1024 * 1024


@dataclass(frozen=True)
class FixConflict:
    """A fix not applied because its text overlaps one applied before it."""

    rule_id: str
    path: str
    line: int
    column: int
    description: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.rule_id}: {self.description}"


@dataclass
class FixOutcome:
    diff: str
    files_changed: list[str]
    edits_applied: int
    conflicts: list[FixConflict] = field(default_factory=list)


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    edit: TextEdit


def _split_lines(text: str) -> list[str]:
    """Lines with their ends, split at ``\\n`` only (``str.splitlines`` also splits at form feeds and
    U+2028, which git, editors and the parsers do not)."""
    lines = text.split("\n")
    return [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])


def _line_starts(text: str) -> list[int]:
    starts = [0]
    at = text.find("\n")
    while at != -1:
        starts.append(at + 1)
        at = text.find("\n", at + 1)
    return starts


def _offset(starts: list[int], size: int, line: int, column: int) -> int | None:
    if not 1 <= line <= len(starts) or column < 1:
        return None
    offset = starts[line - 1] + column - 1
    line_end = starts[line] if line < len(starts) else size + 1
    return offset if offset < line_end or (line == len(starts) and offset <= size) else None


def _spans(text: str, starts: list[int], edits: tuple[TextEdit, ...]) -> list[_Span] | None:
    spans = []
    for edit in edits:
        start = _offset(starts, len(text), edit.line, edit.column)
        end = _offset(starts, len(text), edit.end_line, edit.end_column)
        if start is None or end is None or start > end:
            return None
        spans.append(_Span(start, end, edit))
    return spans


def _overlaps(span: _Span, taken: list[_Span]) -> bool:
    """Two spans clash when they share text, or are insertions at the same place (their order is unknowable)."""
    return any(span.start < other.end and other.start < span.end
               or span.start == span.end == other.start == other.end
               or (span.start == span.end and other.start < span.start < other.end)
               or (other.start == other.end and span.start < other.start < span.end)
               for other in taken)


def _unique_fixes(findings: list[Finding]) -> list[tuple[Finding, Fix]]:
    unique: list[tuple[Finding, Fix]] = []
    seen: set[tuple[TextEdit, ...]] = set()
    for finding in findings:
        if finding.fix and finding.fix.edits and finding.fix.edits not in seen:
            seen.add(finding.fix.edits)
            unique.append((finding, finding.fix))
    return unique


def _patch(path: str, original: str, updated: str) -> list[str]:
    chunks = []
    for line in difflib.unified_diff(_split_lines(original), _split_lines(updated), f"a/{path}", f"b/{path}"):
        chunks.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return chunks


def _position(item: tuple[Finding, Fix]) -> tuple:
    """Fixes are taken in the order of their first edit (the narrower first at one place), so which of two
    clashing fixes applies never depends on the order engines reported them."""
    first = item[1].edits[0]
    return first.path, first.line, first.column, first.end_line, first.end_column, item[1].description


def fix_findings(root: Path, findings: list[Finding], write: bool) -> FixOutcome:
    """Apply every fix carried by ``findings`` under ``root``, each whole or not at all; write the files only
    when ``write``. Fixes whose text overlaps an earlier fix come back as conflicts."""
    by_path: dict[str, list[tuple[Finding, Fix]]] = defaultdict(list)
    for finding, fix in _unique_fixes(findings):
        by_path[fix.edits[0].path].append((finding, fix))
    texts: dict[str, tuple[str, str]] = {}
    accepted: dict[str, list[_Span]] = defaultdict(list)
    conflicts: list[FixConflict] = []
    for finding, fix in sorted((item for items in by_path.values() for item in items), key=_position):
        spans: list[tuple[str, _Span]] = []
        for path in sorted({edit.path for edit in fix.edits}):
            if path not in texts:
                texts[path] = decode_bytes(read_confined(root, path, _MAX_FIXED_FILE))
            text = texts[path][0]
            found = _spans(text, _line_starts(text), tuple(e for e in fix.edits if e.path == path))
            if found is None or any(_overlaps(span, accepted[path] + [s for p, s in spans if p == path])
                                    for span in found):
                spans = []
                break
            spans.extend((path, span) for span in found)
        if not spans:
            first = fix.edits[0]
            conflicts.append(FixConflict(finding.rule_id, first.path, first.line, first.column, fix.description))
            continue
        for path, span in spans:
            accepted[path].append(span)
    chunks, changed = [], []
    applied = 0
    for path in sorted(accepted):
        original, encoding = texts[path]
        updated = original
        for span in sorted(accepted[path], key=lambda s: (s.start, s.end), reverse=True):
            updated = updated[:span.start] + span.edit.replacement + updated[span.end:]
            applied += 1
        if updated == original:
            continue
        changed.append(path)
        chunks.extend(_patch(path, original, updated))
        if write:
            (root / path).write_bytes(updated.encode(encoding))
    return FixOutcome("".join(chunks), changed, applied, conflicts)


def run_fixes(root: Path, findings: list[Finding], dry_run: bool, what: str = "fix(es)", quiet: bool = False) -> int:
    """The command-line convention shared by ``scan --fix`` and ``deps --fix``: write the fixes (or print
    the patch with ``dry_run``), report what was done on stderr, name every conflict; exit 2 on a conflict."""
    outcome = fix_findings(root, findings, write=not dry_run)
    if dry_run:
        sys.stdout.write(outcome.diff)
        verb = "would apply"
    else:
        verb = "applied"
    if not quiet:
        print(f"{verb} {outcome.edits_applied} {what} in {len(outcome.files_changed)} file(s)", file=sys.stderr)
    if not outcome.conflicts:
        return 0
    print(f"bastion: error: {len(outcome.conflicts)} fix(es) not applied: each overlaps a fix applied before it "
          "(run --fix again to apply them on the fixed text, or fix by hand):", file=sys.stderr)
    for conflict in outcome.conflicts:
        print(f"  {conflict}", file=sys.stderr)
    return 2
