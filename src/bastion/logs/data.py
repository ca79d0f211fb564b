"""Word lists vendored from the OWASP Core Rule Set (Apache-2.0, ``data/crs/LICENSE``), read once.

Files are CRS 3.3.4's ``rules/*.data`` unchanged: one phrase a line, ``#`` comments.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

CRS_DIR = Path(__file__).parent / "data" / "crs"


@lru_cache(maxsize=None)
def crs_words(name: str) -> tuple[str, ...]:
    """The phrases of ``data/crs/<name>.data``, comments and blank lines left out."""
    lines = (CRS_DIR / f"{name}.data").read_text("utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#"))
