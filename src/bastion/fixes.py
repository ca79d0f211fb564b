"""Applying machine-applicable fixes (``Finding.fix``) to files, or previewing them as a unified diff."""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from bastion.engine_api import decode_bytes
from bastion.model import Finding, TextEdit
from bastion.workspace import read_confined


@dataclass
class FixOutcome:
    diff: str
    files_changed: list[str]
    edits_applied: int
    conflicts: int


def _offset(lines: list[str], line: int, column: int) -> int:
    return sum(len(text) for text in lines[: line - 1]) + column - 1


def apply_edits(text: str, edits: list[TextEdit]) -> tuple[str, int, int]:
    """Apply non-overlapping edits from the end backwards; overlapping ones are skipped and counted."""
    lines = text.splitlines(keepends=True)
    spans = sorted(((_offset(lines, e.line, e.column), _offset(lines, e.end_line, e.end_column), e) for e in edits),
                   key=lambda s: (s[0], s[1]), reverse=True)
    applied = conflicts = 0
    limit = len(text) + 1
    for start, end, edit in spans:
        if end > limit or start > end:
            conflicts += 1
            continue
        text = text[:start] + edit.replacement + text[end:]
        limit = start
        applied += 1
    return text, applied, conflicts


def fix_findings(root: Path, findings: list[Finding], write: bool) -> FixOutcome:
    """Apply every fix carried by ``findings`` under ``root``; write the files only when ``write``."""
    by_path: dict[str, list[TextEdit]] = defaultdict(list)
    for finding in findings:
        if finding.fix:
            for edit in finding.fix.edits:
                by_path[edit.path].append(edit)
    chunks, changed = [], []
    applied = conflicts = 0
    for path in sorted(by_path):
        data = read_confined(root, path, 64 * 1024 * 1024)
        original, encoding = decode_bytes(data)
        updated, done, clashes = apply_edits(original, by_path[path])
        applied += done
        conflicts += clashes
        if updated == original:
            continue
        changed.append(path)
        chunks.extend(difflib.unified_diff(original.splitlines(keepends=True), updated.splitlines(keepends=True),
                                           f"a/{path}", f"b/{path}"))
        if write:
            (root / path).write_bytes(updated.encode(encoding if encoding != "utf-8-sig" else "utf-8-sig"))
    return FixOutcome("".join(chunks), changed, applied, conflicts)
