"""The keyword pass: which keywords (any case) and marker patterns occur in the bytes, in one pass.

Two backends give the same answer: Hyperscan (one literal database, about three
times faster) where its wheel is installed, else an RE2 set. :data:`BACKEND` is
chosen once, at import.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Sequence

import re2

from bastion.secrets import catalog, hyperscan_db


class Re2Keywords:
    """An RE2 set: ``(?i)`` keywords (cheaper than lowercasing a copy of each file), then the markers."""

    def __init__(self, keywords: Sequence[bytes], markers: Sequence[bytes] = ()) -> None:
        self._set = re2.Set.SearchSet(catalog.re2_options())
        for kw in keywords:
            self._set.Add(b"(?i)" + re2.escape(kw))
        for marker in markers:
            self._set.Add(marker)
        self._set.Compile()

    def hits(self, data: bytes) -> set[int]:
        """Indexes of the entries (keywords, then markers) that occur in ``data``."""
        return set(self._set.Match(data) or ())


class HyperscanKeywords:
    """One Hyperscan database: caseless keywords and the markers, each reported at most once per scan.

    Keywords are ASCII (the catalog checks), where Hyperscan's caseless matching and
    RE2's Latin-1 case folding agree.
    """

    def __init__(self, keywords: Sequence[bytes], markers: Sequence[bytes] = ()) -> None:
        once, caseless = hyperscan_db.hyperscan.HS_FLAG_SINGLEMATCH, hyperscan_db.hyperscan.HS_FLAG_CASELESS
        expressions = [hyperscan_db.translate(re2.escape(kw)) for kw in keywords]
        expressions += [hyperscan_db.translate(m) for m in markers]
        flags = [once | caseless] * len(keywords) + [once] * len(markers)
        self._db = hyperscan_db.compile_database(expressions, flags)

    def hits(self, data: bytes) -> set[int]:
        """Indexes of the entries (keywords, then markers) that occur in ``data``."""
        return self._db.ids(data)


BACKEND = HyperscanKeywords if hyperscan_db.AVAILABLE else Re2Keywords


@lru_cache(maxsize=4)
def prefilter(markers: tuple[bytes, ...] = ()) -> tuple[Re2Keywords | HyperscanKeywords, tuple[tuple[int, ...], ...]]:
    """Every detector keyword plus ``markers``, to run once over each file.

    Markers are RE2 patterns another pass needs to know about (the concatenation
    seam): the same pass answers for them at no extra read of the file.
    Returns (pass, wakes): ``wakes[i]`` are the detectors that entry ``i``
    wakes (indexes into :func:`catalog.detectors`); markers come last, in order, and wake none.
    """
    owners: dict[str, list[int]] = {}
    for index, det in enumerate(catalog.detectors()):
        for kw in det.keywords:
            owners.setdefault(kw, []).append(index)
    keywords = BACKEND([kw.encode() for kw in owners], markers)
    return keywords, tuple(tuple(v) for v in owners.values()) + ((),) * len(markers)
