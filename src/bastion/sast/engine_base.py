"""What every SAST engine does the same way around the analysis: cache salt of the code, spans as locations."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from bastion.model import Location
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
