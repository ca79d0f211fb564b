"""The detector catalog: ``detectors.toml`` loaded, macros expanded, patterns compiled to RE2.

Detectors are data so that adding a provider is a reviewable edit of one
file, and so that tests and benchmarks can generate a fresh instance of every
format from the same record. All patterns compile with RE2 on bytes: matching
is linear in the input whatever the input is.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import re2

from bastion.core.model import Severity

RULE_IDS = ("hardcoded-secret", "hardcoded-private-key", "credentials-in-url", "hardcoded-password")
CHECKSUMS = ("github-crc32", "jwt")
JUDGES = ("generic",)

_MACROS = {
    "{end}": r"(?:[^A-Za-z0-9_\-]|$)",
    "{end64}": r"(?:[^A-Za-z0-9_\-+/=]|$)",
    "{uuid}": r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
}
# After the key words of {ctx:...): the rest of the key name, an assignment, optional quotes.
_CTX_TAIL = r")[A-Za-z0-9_.\-]{0,32}[\"'`]?\s*(?:=|:=|:|=>|\?=)\s*[\"'`]?\s*)"
_FIELDS = {
    "id", "provider", "name", "pattern", "keywords", "sample", "severity", "rule",
    "entropy", "checksum", "allow", "revoke", "judge", "max_length", "scheme",
}
_SCHEME_WINDOW = 32  # bytes before "://" that can hold a scheme


class CatalogError(ValueError):
    """The detector data is malformed (a bug in Bastion, caught by its tests)."""


@dataclass(frozen=True)
class Detector:
    """One credential format: how to find it and what to tell the owner."""

    id: str
    provider: str
    name: str
    pattern: str
    keywords: tuple[str, ...]
    sample: str
    revoke: str
    severity: Severity = Severity.HIGH
    rule: str = "hardcoded-secret"
    entropy: float = 0.0
    checksum: str | None = None
    allow: tuple[str, ...] = ()
    judge: str | None = None
    max_length: int = 0
    scheme: str | None = None

    @property
    def contextual(self) -> bool:
        """Found by a key name next to it rather than by a format of its own."""
        return "{ctx:" in self.pattern

    @property
    def public_format(self) -> bool:
        """Whether the value has a published format (a prefix, a fixed length) that showing its start and
        length gives away nothing of: not a password, a URL's password, or a value known by its key name."""
        return self.judge is None and self.rule != "credentials-in-url" and not self.contextual


@dataclass(frozen=True)
class Compiled:
    """A detector with its compiled pattern and allow-list.

    ``boundary``: the pattern began with ``\\b``, which was cut off and is checked by the
    scanner instead. A leading assertion keeps RE2 from skipping ahead to the literal prefix
    with memchr, and most formats start with one (``\\bghp_``): without it a pass runs about
    five times faster. ``scheme`` does the same for URLs: the pattern starts at ``://`` and
    the scheme before it is checked on a short window (ten times faster than starting the
    search at a case-insensitive alternation of schemes).
    """

    detector: Detector
    regex: object
    allow: tuple[object, ...]
    boundary: bool = False
    scheme: object | None = None
    groups: dict[bytes, int] = field(default_factory=dict)  # named groups (re2 rebuilds groupindex per access)

    def scheme_before(self, data: bytes, start: int) -> bool:
        """Does one of the detector's schemes, starting at a word boundary, end at ``start``?"""
        return self.scheme.fullmatch(data, max(0, start - _SCHEME_WINDOW), start) is not None


def expand(pattern: str) -> str:
    """Expand the ``{ctx:...)``, ``{end}``, ``{end64}`` and ``{uuid}`` macros into RE2 syntax."""
    while "{ctx:" in pattern:
        start = pattern.index("{ctx:")
        depth, i = 0, start + 5
        while i < len(pattern):
            ch = pattern[i]
            if ch == "\\":
                i += 2
                continue
            if ch == "(":
                depth += 1
            elif ch == ")":
                if depth == 0:
                    break
                depth -= 1
            i += 1
        else:
            raise CatalogError(f"unterminated {{ctx: in {pattern!r}")
        pattern = pattern[:start] + "(?i:(?:" + pattern[start + 5 : i] + _CTX_TAIL + pattern[i + 1 :]
    for macro, replacement in _MACROS.items():
        pattern = pattern.replace(macro, replacement)
    return pattern


def _detector(raw: dict) -> Detector:
    unknown = set(raw) - _FIELDS
    if unknown:
        raise CatalogError(f"detector {raw.get('id')!r}: unknown fields {sorted(unknown)}")
    try:
        det = Detector(
            id=raw["id"],
            provider=raw["provider"],
            name=raw["name"],
            pattern=raw["pattern"],
            keywords=tuple(raw["keywords"]),
            sample=raw["sample"],
            revoke=raw["revoke"],
            severity=Severity.parse(raw.get("severity", "high")),
            rule=raw.get("rule", "hardcoded-secret"),
            entropy=float(raw.get("entropy", 0.0)),
            checksum=raw.get("checksum"),
            allow=tuple(raw.get("allow", ())),
            judge=raw.get("judge"),
            max_length=int(raw.get("max_length", 0)),
            scheme=raw.get("scheme"),
        )
    except KeyError as exc:
        raise CatalogError(f"detector {raw.get('id')!r}: missing field {exc}") from None
    if det.rule not in RULE_IDS:
        raise CatalogError(f"detector {det.id}: unknown rule {det.rule}")
    if det.checksum is not None and det.checksum not in CHECKSUMS:
        raise CatalogError(f"detector {det.id}: unknown checksum {det.checksum}")
    if det.judge is not None and det.judge not in JUDGES:
        raise CatalogError(f"detector {det.id}: unknown judge {det.judge}")
    if not det.keywords or any(k != k.lower() or not k.isascii() for k in det.keywords):
        raise CatalogError(f"detector {det.id}: keywords must be non-empty, lowercase and ASCII")
    return det


def _data() -> bytes:
    return resources.files("bastion.secrets").joinpath("detectors.toml").read_bytes()


@lru_cache(maxsize=1)
def detectors() -> tuple[Detector, ...]:
    """Every detector, in file order."""
    raw = tomllib.loads(_data().decode("utf-8"))
    dets = tuple(_detector(d) for d in raw.get("detector", []))
    seen: set[str] = set()
    for det in dets:
        if det.id in seen:
            raise CatalogError(f"duplicate detector id {det.id}")
        seen.add(det.id)
    return dets


def data_digest() -> str:
    """Digest of the detector data: part of the engine's cache salt."""
    return hashlib.sha256(_data()).hexdigest()[:16]


def re2_options() -> re2.Options:
    """Latin-1: every byte is one character, so offsets are byte offsets and no input is invalid."""
    opts = re2.Options()
    opts.max_mem = 64 << 20
    opts.encoding = re2.Options.Encoding.LATIN1
    opts.log_errors = False
    return opts


def compile_detector(det: Detector) -> Compiled:
    """One detector's RE2 pattern and allow-list, compiled for bytes."""
    source = expand(det.pattern)
    boundary = source.startswith("\\b")
    try:
        regex = re2.compile(source[2:].encode() if boundary else source.encode(), options=re2_options())
        allow = tuple(re2.compile(a.encode(), options=re2_options()) for a in det.allow)
        scheme = re2.compile(f"(?s:.*)\\b(?i:{det.scheme})".encode(), options=re2_options()) if det.scheme else None
    except re2.error as exc:
        raise CatalogError(f"detector {det.id}: {exc}") from None
    return Compiled(det, regex, allow, boundary, scheme, dict(regex.groupindex))


_COMPILED: dict[int, Compiled] = {}


def compiled_at(index: int) -> Compiled:
    """Detector ``index``, compiled on first use: a worker compiles only what its files wake."""
    entry = _COMPILED.get(index)
    if entry is None:
        entry = _COMPILED[index] = compile_detector(detectors()[index])
    return entry


def compiled() -> tuple[Compiled, ...]:
    """Every detector compiled (catalog checks; scanning uses :func:`compiled_at`)."""
    return tuple(compiled_at(i) for i in range(len(detectors())))
