"""The Hyperscan passes answer exactly as RE2 does: same keyword hits, and never a detector left out that RE2 would match."""

from __future__ import annotations

import random
from functools import lru_cache

import pytest
import re2
from hypothesis import given, settings
from hypothesis import strategies as st

from bastion.secrets import catalog, concat, hyperscan_db, prefilter, samples, scanner

needs_hyperscan = pytest.mark.skipif(not hyperscan_db.AVAILABLE, reason="no hyperscan wheel on this platform")

KEYWORDS = list(dict.fromkeys(kw for det in catalog.detectors() for kw in det.keywords))  # the prefilter's order
MARKERS = (concat.SEAM,)


@lru_cache(maxsize=1)
def _backends() -> tuple[prefilter.Re2Keywords, prefilter.HyperscanKeywords]:
    """The catalog's keywords and the seam marker on RE2, and the scanner's own Hyperscan prefilter (detectors too)."""
    return prefilter.Re2Keywords([kw.encode() for kw in KEYWORDS], MARKERS), prefilter.build(MARKERS)[0]


INPUTS = [
    b"",
    b"nothing to see here",
    b"x = 'ghp_'",
    b"TOKEN = GHP_ and Sk_LiVe_ in any case",
    b"AKIA" + b"\xe9\xff" * 40 + b"password",  # Latin-1 bytes around keywords
    b"key = 'sk_live_' + '51H'",  # a concatenation seam
    b"('part'\n   'part')",  # adjacent literals across lines
    b"'a'\x0b+'b'",  # a vertical tab is not a blank for RE2's \s
    b"'a'\x0b'b'",
    b"xoxb-\n" * 1000 + b"-----BEGIN RSA PRIVATE KEY-----",
]


@needs_hyperscan
@pytest.mark.parametrize("data", INPUTS)
def test_backends_agree(data: bytes) -> None:
    re2_backend, hs_backend = _backends()
    assert hs_backend.scan(data)[0] == re2_backend.scan(data)[0]


@pytest.mark.parametrize("backend", ["re2", pytest.param("hyperscan", marks=needs_hyperscan)])
def test_each_backend_finds_keywords_in_any_case_and_the_seam(backend: str) -> None:
    cls = prefilter.Re2Keywords if backend == "re2" else prefilter.HyperscanKeywords
    kw = cls([b"ghp_", b"password"], MARKERS)
    assert kw.scan(b"x = 'GHP_abc'") == ({0}, None)
    assert kw.scan(b"Password = 'a' + 'b'") == ({1, 2}, None)
    assert kw.scan(b"'a'\x0b+'b'") == (set(), None)
    assert kw.scan(b"") == (set(), None)


def test_backend_is_hyperscan_exactly_where_it_is_installed() -> None:
    expected = prefilter.HyperscanKeywords if hyperscan_db.AVAILABLE else prefilter.Re2Keywords
    assert prefilter.BACKEND is expected
    assert isinstance(prefilter.build(MARKERS)[0], expected)


PIECES = st.sampled_from([kw.encode() for kw in KEYWORDS] + [b"'", b'"', b" + ", b"\x0b", b"\n", b"\t", b"\xc9"])


def _random_case(data: bytes, rnd: random.Random) -> bytes:
    return bytes(c ^ 0x20 if chr(c).isalpha() and c < 128 and rnd.random() < 0.5 else c for c in data)


@needs_hyperscan
@settings(max_examples=300, deadline=None)
@given(st.lists(st.binary(max_size=40) | PIECES, max_size=30), st.randoms(use_true_random=False))
def test_backends_agree_on_random_bytes_with_planted_keywords(parts: list[bytes], rnd: random.Random) -> None:
    re2_backend, hs_backend = _backends()
    data = _random_case(b"".join(parts), rnd)
    assert hs_backend.scan(data)[0] == re2_backend.scan(data)[0]


# --- RE2 syntax in Hyperscan --------------------------------------------------------------------------

@needs_hyperscan
@pytest.mark.parametrize("pattern", [rb"a\sb", rb"a\Sb", rb"a[^\s\"]b", rb"a[\s\S]b", rb"a[]\s]b", rb"a[^]\S]b", rb"a[[:alpha:]\s]b", rb"a\\sb"])
def test_translated_patterns_match_the_same_bytes_as_re2(pattern: bytes) -> None:
    hs = hyperscan_db.hyperscan
    db = hyperscan_db.compile_database([hyperscan_db.translate(pattern)], [hs.HS_FLAG_SINGLEMATCH])
    regex = re2.compile(pattern, options=catalog.re2_options())
    for byte in range(256):
        data = b"a" + bytes([byte]) + b"b"
        assert bool(db.ids(data)) == (regex.search(data) is not None), (pattern, byte)


# --- detectors that can match -------------------------------------------------------------------------

def _matching(data: bytes) -> set[int]:
    """Detectors whose RE2 pass (with its outside checks) finds something in ``data``."""
    return {i for i in range(len(catalog.detectors())) if next(scanner._matches(catalog.compiled_at(i), data), None)}


def _possible(data: bytes) -> set[int]:
    """Detectors the prefilter lets run on ``data`` (every one without Hyperscan)."""
    possible = prefilter.build(MARKERS)[0].scan(data)[1]
    return set(range(len(catalog.detectors()))) if possible is None else possible


def test_prefilter_keeps_every_detector_that_matches_its_own_samples() -> None:
    rnd, found = random.Random(7), 0
    for index, det in enumerate(catalog.detectors()):
        data = f"x\n{det.id} = '{samples.render(det.sample, rnd)}'\n".encode()
        matching = _matching(data)
        assert matching <= _possible(data), det.id
        found += index in matching
    assert found > 0.9 * len(catalog.detectors())  # the samples do exercise their own detectors


@needs_hyperscan
def test_prefilter_drops_woken_detectors_that_cannot_match() -> None:
    woken, runnable, _ = scanner._prefilter(b"ghp_ and password but nothing after them")
    ids = lambda indexes: {catalog.detectors()[i].id for i in indexes}  # noqa: E731
    assert {"github-pat", "generic-secret-assignment"} <= ids(woken)
    assert not {"github-pat", "generic-secret-assignment"} & ids(runnable)


SAMPLE_PIECES = st.sampled_from(
    [samples.render(det.sample, random.Random(i)).encode() for i, det in enumerate(catalog.detectors())]
    + [kw.encode() for kw in KEYWORDS] + [b" = ", b"'", b'"', b"\x0b", b"\n", b"://", b"@", b":"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.binary(max_size=30) | SAMPLE_PIECES, max_size=12))
def test_prefilter_never_drops_a_detector_re2_matches(parts: list[bytes]) -> None:
    data = b"".join(parts)
    assert _matching(data) <= _possible(data)


# --- the on-disk cache ------------------------------------------------------------------------------------

@needs_hyperscan
def test_cached_database_is_written_once_then_loaded_and_rebuilt_when_corrupt(tmp_path) -> None:
    hs = hyperscan_db.hyperscan
    build = lambda: hyperscan_db.cached_database("t", [rb"ab+c", rb"xyz"], [hs.HS_FLAG_SINGLEMATCH] * 2, root=lambda: tmp_path)  # noqa: E731
    assert build().ids(b"--abbbc--xyz") == {0, 1}
    [stored] = tmp_path.iterdir()
    written = stored.read_bytes()
    assert build().ids(b"abc") == {0} and stored.read_bytes() == written
    stored.write_bytes(b"not a database")
    assert build().ids(b"xyz") == {1} and stored.read_bytes() == written
    assert [p.name for p in tmp_path.iterdir()] == [stored.name]  # no temporary file left behind


@needs_hyperscan
def test_a_new_catalog_replaces_the_database_of_the_old_one(tmp_path) -> None:
    hs = hyperscan_db.hyperscan
    hyperscan_db.cached_database("t", [rb"old"], [hs.HS_FLAG_SINGLEMATCH], root=lambda: tmp_path)
    hyperscan_db.cached_database("other", [rb"kept"], [hs.HS_FLAG_SINGLEMATCH], root=lambda: tmp_path)
    assert hyperscan_db.cached_database("t", [rb"new"], [hs.HS_FLAG_SINGLEMATCH], root=lambda: tmp_path).ids(b"new") == {0}
    names = sorted(p.name.split("-")[0] for p in tmp_path.iterdir())
    assert names == ["other", "t"]
