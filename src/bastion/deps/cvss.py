"""Severity from CVSS vectors, computed here rather than pulled from a library.

CVSS v3.x base scores are a short published formula (FIRST, CVSS v3.1
specification section 7), so we compute them exactly. CVSS v4 scoring needs
a 270-entry lookup table of "macro vectors"; instead of shipping that table
we map a v4 vector to a severity band from its exploitability and impact
metrics (see :func:`v4_severity`), which agrees with the official calculator
on the band for common vectors and is documented in docs/engines/deps.md.
"""

from __future__ import annotations

import math

_V3_WEIGHTS = {
    "AV": {"N": 0.85, "A": 0.62, "L": 0.55, "P": 0.2},
    "AC": {"L": 0.77, "H": 0.44},
    "UI": {"N": 0.85, "R": 0.62},
    "C": {"H": 0.56, "L": 0.22, "N": 0.0},
    "I": {"H": 0.56, "L": 0.22, "N": 0.0},
    "A": {"H": 0.56, "L": 0.22, "N": 0.0},
}
_V3_PR = {"U": {"N": 0.85, "L": 0.62, "H": 0.27}, "C": {"N": 0.85, "L": 0.68, "H": 0.5}}


def _metrics(vector: str) -> dict[str, str]:
    parts = vector.strip().split("/")
    return dict(p.split(":", 1) for p in parts[1:] if ":" in p)


def _roundup(value: float) -> float:
    """CVSS v3.1 Roundup: smallest one-decimal number >= value, free of float noise."""
    as_int = round(value * 100000)
    if as_int % 10000 == 0:
        return as_int / 100000.0
    return (math.floor(as_int / 10000) + 1) / 10.0


def v3_base_score(vector: str) -> float:
    """The CVSS v3.0/v3.1 base score of ``vector``; raises ValueError when it is malformed."""
    if not vector.startswith("CVSS:3."):
        raise ValueError(f"not a CVSS v3 vector: {vector!r}")
    m = _metrics(vector)
    try:
        scope = m["S"]
        iss = 1 - (1 - _V3_WEIGHTS["C"][m["C"]]) * (1 - _V3_WEIGHTS["I"][m["I"]]) * (1 - _V3_WEIGHTS["A"][m["A"]])
        exploitability = (
            8.22 * _V3_WEIGHTS["AV"][m["AV"]] * _V3_WEIGHTS["AC"][m["AC"]] * _V3_PR[scope][m["PR"]] * _V3_WEIGHTS["UI"][m["UI"]]
        )
    except KeyError as exc:
        raise ValueError(f"CVSS v3 vector lacks or misstates {exc}: {vector!r}") from None
    impact = 6.42 * iss if scope == "U" else 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15
    if impact <= 0:
        return 0.0
    if scope == "U":
        return _roundup(min(impact + exploitability, 10))
    return _roundup(min(1.08 * (impact + exploitability), 10))


def score_severity(score: float) -> str:
    """The qualitative rating of a CVSS score (the same bands in v3 and v4)."""
    if score >= 9.0:
        return "critical"
    if score >= 7.0:
        return "high"
    if score >= 4.0:
        return "medium"
    if score > 0.0:
        return "low"
    return "info"


def v4_severity(vector: str) -> str:
    """A severity band for a CVSS v4 vector without the macro-vector table.

    Impact is the worst of the vulnerable and subsequent systems'
    confidentiality/integrity/availability (H=2, L=1, N=0). Exploitability is
    easy when the attack is network or adjacent, of low complexity, with no
    attack requirements, no privileges and no user interaction. High impact
    and easy exploitation is critical; high impact otherwise is high; low
    impact is medium when easy, low otherwise; no impact is info.
    """
    if not vector.startswith("CVSS:4."):
        raise ValueError(f"not a CVSS v4 vector: {vector!r}")
    m = _metrics(vector)
    level = {"H": 2, "L": 1, "N": 0}
    try:
        impact = max(level[m[k]] for k in ("VC", "VI", "VA", "SC", "SI", "SA"))
        easy = m["AV"] in "NA" and m["AC"] == "L" and m["AT"] == "N" and m["PR"] == "N" and m["UI"] == "N"
    except KeyError as exc:
        raise ValueError(f"CVSS v4 vector lacks or misstates {exc}: {vector!r}") from None
    if impact == 2:
        return "critical" if easy else "high"
    if impact == 1:
        return "medium" if easy or m["PR"] == "N" else "low"
    return "info"


def vector_severity(kind: str, vector: str) -> tuple[str, float | None]:
    """(severity, score or None) of an OSV ``severity`` entry; raises ValueError when unusable."""
    if kind == "CVSS_V3":
        score = v3_base_score(vector)
        return score_severity(score), score
    if kind == "CVSS_V4":
        return v4_severity(vector), None
    raise ValueError(f"unsupported severity type {kind!r}")
