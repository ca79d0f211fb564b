"""CVSS scoring and version handling."""

from __future__ import annotations

import pytest

from bastion.deps import cvss, versions


@pytest.mark.parametrize(
    "vector, score",
    [
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8),
        ("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N", 5.3),
        ("CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N", 5.4),
        ("CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N", 3.1),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0),
        ("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:N", 0.0),
        ("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:N", 8.1),
    ],
)
def test_v3_base_scores_match_the_specification(vector: str, score: float) -> None:
    assert cvss.v3_base_score(vector) == score


def test_v4_bands() -> None:
    easy_high = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"
    local_high = "CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N"
    low = "CVSS:4.0/AV:N/AC:H/AT:P/PR:L/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N"
    assert cvss.v4_severity(easy_high) == "critical"
    assert cvss.v4_severity(local_high) == "high"
    assert cvss.v4_severity(low) == "low"


@pytest.mark.parametrize("vector", ["", "CVSS:3.1/AV:X", "CVSS:2.0/AV:N", "CVSS:4.0/AV:N"])
def test_malformed_vectors_raise_value_error(vector: str) -> None:
    with pytest.raises(ValueError):
        cvss.vector_severity("CVSS_V4" if vector.startswith("CVSS:4") else "CVSS_V3", vector)


def test_name_normalization() -> None:
    assert versions.normalize_name("PyPI", "Foo__Bar.baz") == "foo-bar-baz"
    assert versions.normalize_name("npm", "@Scope/Pkg") == "@scope/pkg"


def test_version_ordering_follows_each_ecosystem() -> None:
    assert versions.parse("PyPI", "1.10") > versions.parse("PyPI", "1.9")
    assert versions.parse("PyPI", "2.0rc1") < versions.parse("PyPI", "2.0")
    assert versions.parse("npm", "1.2.3-beta.1") < versions.parse("npm", "1.2.3")
    assert versions.try_parse("npm", "not a version") is None
