"""The detector pass: which woken detectors can match anywhere in the bytes, all answered in one Hyperscan pass.

A keyword wakes a detector far more often than its pattern matches (``key``
wakes the generic assignment in most code files), and each woken detector costs
an RE2 pass over the whole file. Hyperscan compiles every detector in prefilter
mode (a looser pattern that matches at least wherever the RE2 one does) into one
database; only the detectors it reports get their RE2 pass, so findings are the
same. Compiling takes about a second, so the database is kept on disk
(:func:`hyperscan_db.cached_database`). Without Hyperscan every woken detector runs.
"""

from __future__ import annotations

from functools import lru_cache

from bastion.secrets import catalog, hyperscan_db


@lru_cache(maxsize=1)
def database() -> hyperscan_db.Database | None:
    """Detector ``i`` reports id ``i``; None without Hyperscan."""
    if not hyperscan_db.AVAILABLE:
        return None
    hs = hyperscan_db.hyperscan
    expressions = [hyperscan_db.translate(catalog.expand(det.pattern).encode()) for det in catalog.detectors()]
    return hyperscan_db.cached_database("detectors", expressions, [hs.HS_FLAG_PREFILTER | hs.HS_FLAG_SINGLEMATCH] * len(expressions))


def runnable(data: bytes, indexes: list[int]) -> list[int]:
    """The detectors of ``indexes`` whose pattern can match somewhere in ``data``, in order."""
    db = database()
    if db is None or not indexes:
        return indexes
    possible = db.ids(data)
    return [i for i in indexes if i in possible]
