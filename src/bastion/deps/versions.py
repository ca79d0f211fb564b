"""Version semantics per ecosystem, delegated to well-kept libraries.

PyPI versions follow PEP 440 (``packaging.version``); npm versions follow
SemVer (``node-semver``, loose mode so that ``v1.2`` style tags still
parse). Everything else in the audit compares versions only through
:func:`parse` and the returned objects' ordering.
"""

from __future__ import annotations

import functools
from typing import Any

import nodesemver
from packaging.version import InvalidVersion, Version

PYPI, NPM = "PyPI", "npm"
ECOSYSTEMS = (PYPI, NPM)


@functools.total_ordering
class SemVer:
    """An npm version with ordering by node-semver's comparison."""

    __slots__ = ("text", "_parsed")

    def __init__(self, text: str):
        self._parsed = nodesemver.make_semver(text, loose=True)
        self.text = str(self._parsed)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SemVer) and self._parsed.compare(other._parsed) == 0

    def __lt__(self, other: "SemVer") -> bool:
        return self._parsed.compare(other._parsed) < 0

    def __hash__(self) -> int:
        return hash(self.text.split("+", 1)[0])  # build metadata does not take part in ordering

    @property
    def is_prerelease(self) -> bool:
        return bool(self._parsed.prerelease)

    def __str__(self) -> str:
        return self.text


class BadVersion(ValueError):
    """A version string the ecosystem's rules do not accept."""


@functools.lru_cache(maxsize=65536)
def parse(ecosystem: str, text: str) -> Any:
    """Parse ``text`` under ``ecosystem`` rules; raise :class:`BadVersion` when it is not a version."""
    try:
        if ecosystem == PYPI:
            return Version(text)
        return SemVer(text)
    except (InvalidVersion, ValueError, TypeError) as exc:
        raise BadVersion(f"not a {ecosystem} version: {text!r}") from exc


def try_parse(ecosystem: str, text: str) -> Any | None:
    try:
        return parse(ecosystem, text)
    except BadVersion:
        return None


@functools.lru_cache(maxsize=65536)
def normalize_name(ecosystem: str, name: str) -> str:
    """The name advisories are indexed under: PEP 503 for PyPI, lower case for npm."""
    name = name.strip()
    if ecosystem == PYPI:
        out, last_sep = [], False
        for ch in name.lower():  # PEP 503 without a regex: runs of -_. become one '-'
            if ch in "-_.":
                if not last_sep:
                    out.append("-")
                last_sep = True
            else:
                out.append(ch)
                last_sep = False
        return "".join(out)
    return name.lower()
