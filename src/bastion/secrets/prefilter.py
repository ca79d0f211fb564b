"""The prefilter: one pass over the bytes that decides which detectors get an RE2 pass.

It reports which keywords (any case) and marker patterns occur. Two backends
give the same answer: Hyperscan where its wheel is installed, else an RE2 set;
:data:`BACKEND` is chosen once, at import.

Hyperscan also answers, in the same pass, which detectors can match at all. A
keyword wakes a detector far more often than its pattern matches (``key``
wakes the generic assignment in most code files), and each woken detector
costs an RE2 pass over the whole file. Every detector pattern is compiled in
prefilter mode (a looser pattern that matches at least wherever the RE2 one
does), so dropping the woken detectors it does not report changes no finding.
That database takes a second to compile and is kept on disk
(:func:`hyperscan_db.cached_database`).
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

    def scan(self, data: bytes) -> tuple[set[int], None]:
        """(indexes of the entries, keywords then markers, that occur in ``data``; None: any detector can match)."""
        return set(self._set.Match(data) or ()), None


class HyperscanKeywords:
    """One Hyperscan database: caseless keywords, the markers, then the detectors in prefilter mode.

    Each expression reports at most once per scan. Keywords are ASCII (the catalog
    checks), where Hyperscan's caseless matching and RE2's Latin-1 case folding agree.
    """

    def __init__(self, keywords: Sequence[bytes], markers: Sequence[bytes] = (), detectors: Sequence[bytes] = ()) -> None:
        hs = hyperscan_db.hyperscan
        once = hs.HS_FLAG_SINGLEMATCH
        expressions = [hyperscan_db.translate(p) for p in [re2.escape(kw) for kw in keywords] + list(markers) + list(detectors)]
        flags = [once | hs.HS_FLAG_CASELESS] * len(keywords) + [once] * len(markers) + [once | hs.HS_FLAG_PREFILTER] * len(detectors)
        self._entries = len(keywords) + len(markers)
        self._detectors = bool(detectors)
        if detectors:
            self._db = hyperscan_db.cached_database("prefilter", expressions, flags)
        else:
            self._db = hyperscan_db.compile_database(expressions, flags)

    def scan(self, data: bytes) -> tuple[set[int], set[int] | None]:
        """(indexes of the entries, keywords then markers, that occur in ``data``;
        indexes of the detectors that can match in it, None if no detectors were given)."""
        ids = self._db.ids(data)
        entries = {i for i in ids if i < self._entries}
        if not self._detectors:
            return entries, None
        return entries, {i - self._entries for i in ids if i >= self._entries}


BACKEND = HyperscanKeywords if hyperscan_db.AVAILABLE else Re2Keywords


@lru_cache(maxsize=4)
def build(markers: tuple[bytes, ...] = ()) -> tuple[Re2Keywords | HyperscanKeywords, tuple[tuple[int, ...], ...]]:
    """Every detector keyword plus ``markers`` (and, on Hyperscan, every detector), to run once over each file.

    Markers are RE2 patterns another pass needs to know about (the concatenation
    seam): the same pass answers for them at no extra read of the file.
    Returns (prefilter, wakes): ``wakes[i]`` are the detectors that entry ``i``
    wakes (indexes into :func:`catalog.detectors`); markers come last, in order, and wake none.
    """
    owners: dict[str, list[int]] = {}
    for index, det in enumerate(catalog.detectors()):
        for kw in det.keywords:
            owners.setdefault(kw, []).append(index)
    keywords = [kw.encode() for kw in owners]
    if BACKEND is HyperscanKeywords:
        detectors = [catalog.expand(det.pattern).encode() for det in catalog.detectors()]
        prefilter = HyperscanKeywords(keywords, markers, detectors)
    else:
        prefilter = Re2Keywords(keywords, markers)
    return prefilter, tuple(tuple(v) for v in owners.values()) + ((),) * len(markers)
