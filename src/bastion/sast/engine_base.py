"""What every SAST engine does the same way around the analysis: cache salt of the code, spans as locations, budget notes."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from bastion.core.model import Location, Note
from bastion.sast import ir


@lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of the whole SAST package (core and every frontend): analysis code changes invalidate cached results too."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def location(path: str, span: ir.Span) -> Location:
    return Location(path, span.line, span.column, span.end_line, span.end_column)


def budget_notes(unsettled: list[str], path: str, max_rounds: int) -> list[Note]:
    """No silent limit: recursive functions whose summary the round budget left unsettled, named with their file."""
    if not unsettled:
        return []
    names = ", ".join(sorted(set(unsettled))[:10])
    return [Note("warning", f"taint summaries of recursive {names} not settled after {max_rounds} rounds (max-rounds): "
                 "flows through them may be missed", path, "budget")]
