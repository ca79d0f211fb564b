"""The matching core: bytes in, judged secret candidates out.

One prefilter pass over the bytes (:mod:`prefilter`) wakes the detectors whose
keywords occur in any case and, where Hyperscan is installed, keeps those whose
pattern can match at all; each of them then runs one linear-time RE2 pass.
In code, literals joined with ``+`` are also read as one (:mod:`concat`); the
same keyword pass tells whether a file has any.
Shared by the file engine and the history scanner, so both see the same
secrets the same way.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field, replace

from bastion.secrets import catalog, checksums, concat, judge, prefilter
from bastion.secrets.catalog import Detector

_SECRET_GROUPS = (b"secret", b"secret2", b"qsecret", b"usecret")
_HOST_GROUPS = (b"host", b"host2")
_JSON_SUFFIXES = (".json", ".ipynb")
_KEY_PREFIX = 40
_KEY_CHARS = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-")
_WORD = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")  # what RE2's \b counts as a word byte


@dataclass(frozen=True)
class Settings:
    """What the scan core needs from the engine options."""

    disabled: frozenset[str] = frozenset()
    generic: str = "full"  # "strict" in test paths (only confident matches), "off" in generated files
    entropy_threshold: float = 3.0


@dataclass(frozen=True)
class Candidate:
    """A judged secret: which detector, where (byte offsets of the secret), and how sure."""

    detector: Detector
    start: int
    end: int
    secret: str
    confidence: str
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    anchor: int = -1  # where to report it, if not at the secret: a private key's header line

    @property
    def reported_at(self) -> int:
        return self.anchor if self.anchor >= 0 else self.start


def _prepare(data: bytes, path: str) -> bytes:
    """JSON and notebooks escape quotes inside strings; unescape them in place (same length).

    The quote comes first so that ``\\"key\\": \\"value\\"`` reads ``"key" : "value"``-like.
    """
    if path.lower().endswith(_JSON_SUFFIXES):
        return data.replace(b'\\"', b'" ')
    return data


def _group(match, index: dict[bytes, int], names: tuple[bytes, ...]) -> tuple[int, int] | None:
    for name in names:
        g = index.get(name)
        if g is not None and match.start(g) >= 0:
            return match.start(g), match.end(g)
    return None


def _key_start(data: bytes, start: int) -> int:
    """Where a generic key name begins: up to ``_KEY_PREFIX`` name characters before its key word."""
    limit = max(0, start - _KEY_PREFIX)
    while start > limit and data[start - 1] in _KEY_CHARS:
        start -= 1
    return start


def _judge(det: Detector, compiled: catalog.Compiled, match, span: tuple[int, int], data: bytes, path: str, settings: Settings) -> Candidate | None:
    start, end = span
    secret = data[start:end].decode("latin-1")
    if det.judge == "generic":
        key_span = match.span(compiled.groups[b"key"])
        key = data[_key_start(data, key_span[0]) : key_span[1]].decode("latin-1")
        quoted = match.start(compiled.groups[b"qsecret"]) >= 0
        confidence = judge.judge_generic(key, secret, quoted, path, settings.entropy_threshold)
        if confidence is None or (settings.generic == "strict" and confidence == "low"):
            return None
        return Candidate(det, start, end, secret, confidence)
    if det.rule != "hardcoded-private-key" and judge.is_placeholder(secret):
        return None
    if det.entropy and judge.entropy(secret) < det.entropy:
        return None
    if any(a.search(secret.encode("latin-1")) for a in compiled.allow):
        return None
    extra: dict[str, str] = {}
    if det.rule == "credentials-in-url":
        user_g = compiled.groups.get(b"user")
        user = match.group(user_g).decode("latin-1") if user_g and match.start(user_g) >= 0 else ""
        host_span = _group(match, compiled.groups, _HOST_GROUPS)
        host = data[host_span[0] : host_span[1]].decode("latin-1") if host_span else ""
        if not judge.judge_url(user, secret, host):
            return None
        extra["host"] = host
    confidence = "medium" if det.contextual or det.rule == "credentials-in-url" else "high"
    if det.checksum:
        valid = checksums.verify(det.checksum, secret)
        extra["checksum"] = "valid" if valid else "invalid"
        confidence = "high" if valid else "low"
    anchor = match.start() if det.rule == "hardcoded-private-key" else -1
    return Candidate(det, start, end, secret, confidence, extra, anchor)


def _overlaps(start: int, end: int, starts: list[int], kept: list[Candidate]) -> bool:
    """Does [start, end) overlap one of ``kept``: disjoint spans, ``starts`` their sorted starts?"""
    i = bisect.bisect_left(starts, end)  # spans from here on start at or after ``end``
    return i > 0 and kept[i - 1].end > start


def _overlap_filter(cands: list[Candidate]) -> list[Candidate]:
    """Where spans overlap keep one: a provider format over a generic match, then the longer secret."""
    ranked = sorted(cands, key=lambda c: (c.detector.judge is not None, c.detector.rule == "credentials-in-url", -(c.end - c.start), c.start))
    starts: list[int] = []
    kept: list[Candidate] = []
    for cand in ranked:
        if not _overlaps(cand.start, cand.end, starts, kept):
            i = bisect.bisect_left(starts, cand.start)
            starts.insert(i, cand.start)
            kept.insert(i, cand)
    return sorted(kept, key=lambda c: (c.start, c.detector.id))


def _prefilter(data: bytes) -> tuple[list[int], list[int], bool]:
    """(indexes of detectors whose keywords occur in the bytes in any case, those of them that can match,
    whether a concatenation seam occurs)."""
    first, wakes = prefilter.build((concat.SEAM,))
    hits, possible = first.scan(data)
    woken = sorted({i for h in hits for i in wakes[h]})
    runnable = woken if possible is None else [i for i in woken if i in possible]
    return woken, runnable, len(wakes) - 1 in hits


def triggered(data: bytes) -> list[int]:
    """Indexes of detectors whose keywords occur in the bytes, in any case."""
    return _prefilter(data)[0]


def _matches(entry: catalog.Compiled, data: bytes):
    """(match, secret span) for each match, with the checks the compiled pattern leaves out.

    The leading ``\\b``, a URL's scheme and the secret's ``max_length`` are checked here; a match failing
    them resumes the search one byte later, exactly as if the pattern still held them.
    """
    regex, limit, pos = entry.regex, entry.detector.max_length, 0
    while (match := regex.search(data, pos)) is not None:
        start = match.start()
        span = _group(match, entry.groups, _SECRET_GROUPS) or match.span()
        if entry.boundary and start and (data[start - 1] in _WORD) == (data[start] in _WORD):
            pos = start + 1
            continue
        if entry.scheme is not None and not entry.scheme_before(data, start):
            pos = start + 1
            continue
        if limit and span[1] - span[0] > limit:
            pos = _after_overlong(entry, match, start, span, limit)
            continue
        yield match, span
        pos = max(match.end(), start + 1)


#: Characters a generic key, its quote and separator span before the value: the longest key word (13), 40 more
#: name characters, a quote or bracket, a two-character separator, with room to spare.
_KEY_REACH = 64


def _after_overlong(entry: catalog.Compiled, match, start: int, span: tuple[int, int], limit: int) -> int:
    """Where to search again after a match whose secret is longer than the detector allows.

    Usually one byte later: a shorter match may start there. But an unquoted
    generic value is a greedy run of one character class, so every later match
    whose key lies inside the run has a value ending where this one ends (and
    keys before the run share this very value): only a key within
    ``limit + _KEY_REACH`` of that end can give a value short enough. Searching
    from there, not once per byte of the run, keeps a file of 270 KB of
    ``password=`` linear (it took 30 s and the file's other secrets).
    """
    unquoted = entry.groups.get(b"usecret")
    if entry.detector.judge == "generic" and unquoted is not None and match.start(unquoted) >= 0:
        return max(start + 1, span[1] - limit - _KEY_REACH)
    return start + 1


def _candidates(data: bytes, path: str, settings: Settings, indexes: list[int] | None = None) -> list[Candidate]:
    cands: list[Candidate] = []
    for index in _prefilter(data)[1] if indexes is None else indexes:
        entry = catalog.compiled_at(index)
        det = entry.detector
        if det.id in settings.disabled or (det.judge == "generic" and settings.generic == "off"):
            continue
        for match, span in _matches(entry, data):
            cand = _judge(det, entry, match, span, data, path, settings)
            if cand is not None:
                cands.append(cand)
    return cands


def _joined_candidates(data: bytes, path: str, plain: list[Candidate], settings: Settings) -> list[Candidate]:
    """Secrets seen once ``"part" + "part"`` literals are joined, at their file offsets, unless the plain scan has them.

    A joined match over a format the plain scan found is that format run on into
    the next literal; one inside a single part over any plain finding is that
    finding again. Otherwise the longer secret wins in :func:`_overlap_filter`.
    """
    buffer = concat.joined(data, path)
    if buffer is None:
        return []
    formats = [c for c in plain if c.detector.judge is None]
    against = {True: (formats, [c.start for c in formats]), False: (plain, [c.start for c in plain])}
    cands = []
    for cand in _candidates(buffer.text, path, settings):
        origin = buffer.origin(cand.start, cand.end)
        if origin is None:
            continue
        start, end, crosses = origin
        others, starts = against[crosses]
        if _overlaps(start, end, starts, others):
            continue
        parts = str(buffer.parts(cand.start))
        cands.append(replace(cand, start=start, end=end, anchor=-1, extra={**cand.extra, "joined_parts": parts}))
    return cands


def scan_bytes(data: bytes, path: str, settings: Settings = Settings()) -> list[Candidate]:
    """Every secret candidate in ``data`` (the content of ``path``) that survives judgement."""
    data = _prepare(data, path)
    _, indexes, seam = _prefilter(data)
    cands = _overlap_filter(_candidates(data, path, settings, indexes))
    if seam and judge.file_kind(path) == "code":
        cands = _overlap_filter(cands + _joined_candidates(data, path, cands, settings))
    return cands
