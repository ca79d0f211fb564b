"""Many patterns, one linear-time pass: which of a family's patterns occur in a text.

RE2's set matcher runs every pattern of a family at once without
backtracking, so a hostile request line cannot make matching slow.
"""

from __future__ import annotations

from collections.abc import Sequence

import re2


class PatternSet:
    """Compiled RE2 patterns; :meth:`matches` gives the indexes of those found in a text."""

    def __init__(self, patterns: Sequence[str]) -> None:
        self.patterns = tuple(patterns)
        self._set = re2.Set.SearchSet(re2.Options())
        for pattern in self.patterns:
            if self._set.Add(pattern) < 0:
                raise ValueError(f"bad pattern {pattern!r}")
        self._set.Compile()

    def matches(self, text: str) -> list[int]:
        """Indexes of the patterns found in ``text`` (matched as UTF-8 bytes: no offset conversions)."""
        return (self._set.Match(text.encode("utf-8", "surrogateescape")) or []) if self.patterns else []

    def search(self, text: str) -> bool:
        return bool(self.matches(text))


def words_pattern(words: Sequence[str]) -> str:
    """One RE2 alternation matching any of ``words`` literally (case-insensitive)."""
    return "(?i)(?:" + "|".join(re2.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w))) + ")"
