"""Hyperscan, where its wheel is installed: RE2 patterns in its syntax, compiled databases, one scratch per thread.

Hyperscan runs hundreds of patterns in one SIMD pass over the bytes, several
times faster than an RE2 set. Its wheel (the library linked in) exists only for
the common platforms, so every caller keeps an RE2 path and this module decides
once, at import, which one runs (:data:`AVAILABLE`).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from pathlib import Path
from typing import Callable, Sequence

try:
    import hyperscan
except ImportError:  # no wheel for this platform: callers take their RE2 path
    hyperscan = None
else:
    try:  # the library needs SSSE3 on x86 and says so only when a database is built
        hyperscan.Database().compile(expressions=[b"probe"])
    except hyperscan.error:
        hyperscan = None

AVAILABLE = hyperscan is not None

# RE2's \s is [\t\n\f\r ]; Hyperscan's (PCRE's) also holds \v, so both are spelled out.
_SPACE = rb"\t\n\f\r "
_NOT_SPACE = rb"\x00-\x08\x0b\x0e-\x1f\x21-\xff"


def translate(pattern: bytes) -> bytes:
    r"""``pattern`` (RE2 syntax, Latin-1) as a Hyperscan pattern matching the same bytes.

    The two dialects differ, for what the detectors use, only in ``\s``/``\S``
    (vertical tab); every other construct means the same in both.
    """
    out, in_class, i = bytearray(), False, 0
    while i < len(pattern):
        ch = pattern[i : i + 1]
        if ch == b"\\":
            pair = pattern[i : i + 2]
            if pair in (b"\\s", b"\\S"):
                chars = _SPACE if pair == b"\\s" else _NOT_SPACE
                out += chars if in_class else b"[" + chars + b"]"
            else:
                out += pair
            i += 2
            continue
        if ch == b"[" and not in_class:
            in_class = True
            out += ch
            # a ']' right after '[' or '[^' is a member, not the end of the class
            for lead in (b"^", b"]"):
                if pattern[i + 1 : i + 2] == lead:
                    out += lead
                    i += 1
        elif in_class and pattern[i : i + 2] == b"[:":  # a POSIX class ([:alnum:]) inside a class
            end = pattern.index(b":]", i) + 2
            out += pattern[i:end]
            i = end
            continue
        elif ch == b"]" and in_class:
            in_class = False
            out += ch
        else:
            out += ch
        i += 1
    return bytes(out)


class Database:
    """A compiled block-mode database; each thread scans with a scratch of its own (one scan per scratch at a time)."""

    def __init__(self, compiled) -> None:
        self._db = compiled
        self._local = threading.local()

    def ids(self, data: bytes) -> set[int]:
        """The ids of the expressions that match somewhere in ``data``."""
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = hyperscan.Scratch(self._db)
        found: set[int] = set()
        self._db.scan(data, match_event_handler=lambda id_, _start, _end, _flags, _ctx: found.add(id_), scratch=scratch)
        return found


def _compile(expressions: Sequence[bytes], flags: Sequence[int]):
    compiled = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    compiled.compile(expressions=list(expressions), ids=list(range(len(expressions))), flags=list(flags))
    return compiled


def compile_database(expressions: Sequence[bytes], flags: Sequence[int]) -> Database:
    """Expression ``i`` (Hyperscan syntax) reports id ``i``."""
    return Database(_compile(expressions, flags))


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base, "bastion", "hyperscan")


def cached_database(name: str, expressions: Sequence[bytes], flags: Sequence[int], root: Callable[[], Path] = cache_root) -> Database:
    """:func:`compile_database`, kept on disk under a digest of its input and of the library's version.

    For databases that take a second to compile: loading one takes a millisecond. A file
    that is unreadable, corrupt or built for another CPU is compiled again and replaced;
    a cache that cannot be written only costs the compile.
    """
    return Database(cached_compile(name, expressions, flags, root))


def cached_compile(name: str, expressions: Sequence[bytes], flags: Sequence[int], root: Callable[[], Path] = cache_root):
    """The raw ``hyperscan.Database`` behind :func:`cached_database`, for callers that need match offsets."""
    digest = hashlib.sha256(hyperscan.__version__.encode())
    for expression, flag in zip(expressions, flags):
        digest.update(b"%d\0%s\0" % (flag, expression))
    path = root() / f"{name}-{digest.hexdigest()[:24]}.db"
    try:
        return hyperscan.loadb(path.read_bytes(), hyperscan.HS_MODE_BLOCK)
    except (OSError, hyperscan.error):
        pass
    compiled = _compile(expressions, flags)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(hyperscan.dumpb(compiled))
            os.replace(tmp, path)  # atomic: concurrent workers never read half a file
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        for stale in path.parent.glob(f"{name}-*.db"):  # built from an older catalog or library
            if stale != path:
                stale.unlink(missing_ok=True)
    except OSError:
        pass
    return compiled
