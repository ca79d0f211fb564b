"""Where log bytes come from: files (plain or gzip-rotated), folders of logs, and standard input.

A folder's logs are read oldest first (``access.log.3.gz``, ``.2.gz``, ``.1``,
then ``access.log``) so windows see events in time order. Files are read in
chunks that end at a line end; a line longer than :data:`MAX_LINE` is cut (a
log line that long is an attack on the reader, not a record).
"""

from __future__ import annotations

import gzip
import os
import re
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

CHUNK = 1 << 20
MAX_LINE = 64 * 1024
_LOG_NAME = re.compile(r"(?:\.log|\.json|\.jsonl|\.ndjson|\.txt|_log|\.out|\.err)(?:[.-]\d+|[.-]\d{8})?(?:\.gz)?$|(?:access|error|app|syslog|messages)[^/]*$")
_ROTATION = re.compile(r"[.-](\d+)(?:\.gz)?$")


class SourceError(ValueError):
    """A path that cannot be read as a log; the message says which and why."""


@dataclass(frozen=True)
class Source:
    """One log to read: a path, or standard input (``path`` None)."""

    name: str
    path: Path | None = None


def _rotation_key(path: Path) -> tuple[str, int, str]:
    """Group a log with its rotations; the highest rotation number is the oldest and comes first."""
    name = path.name
    match = _ROTATION.search(name)
    base = name[: match.start()] if match else (name[:-3] if name.endswith(".gz") else name)
    number = int(match.group(1)) if match and len(match.group(1)) < 8 else (0 if not match else -int(match.group(1)))
    return (str(path.parent / base), -number, name)


def expand(paths: list[str]) -> list[Source]:
    """Files as given, folders' log files (oldest rotation first), ``-`` for standard input."""
    out: list[Source] = []
    for raw in paths:
        if raw == "-":
            out.append(Source("<stdin>"))
            continue
        path = Path(raw)
        if path.is_dir():
            found = [p for p in path.rglob("*") if p.is_file() and not p.is_symlink() and _LOG_NAME.search(p.name)]
            out.extend(Source(str(p), p) for p in sorted(found, key=_rotation_key))
        elif path.exists():
            out.append(Source(str(path), path))
        else:
            raise SourceError(f"{raw}: no such file or directory")
    return out


def open_source(source: Source) -> BinaryIO:
    """A binary stream of the log's bytes, gunzipped when the file starts with gzip's magic number."""
    if source.path is None:
        return sys.stdin.buffer
    try:
        fd = os.open(source.path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise SourceError(f"{source.name}: {exc.strerror}") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise SourceError(f"{source.name}: not a regular file")
    os.set_blocking(fd, True)
    stream = os.fdopen(fd, "rb")
    if stream.peek(2)[:2] == b"\x1f\x8b" if hasattr(stream, "peek") else False:
        return gzip.GzipFile(fileobj=stream)  # type: ignore[return-value]
    return stream


def cut_long_lines(chunk: bytes) -> bytes:
    """``chunk`` with every line longer than :data:`MAX_LINE` cut to that length."""
    if len(chunk) <= MAX_LINE:
        return chunk
    # a line longer than MAX_LINE covers a whole aligned half-MAX_LINE block: where every block has a line end,
    # no line is too long (a few dozen searches per megabyte instead of splitting the chunk into lines)
    half = MAX_LINE // 2
    if all(chunk.find(b"\n", i, i + half) >= 0 for i in range(0, len(chunk) - half + 1, half)):
        return chunk
    if all(len(line) <= MAX_LINE for line in chunk.split(b"\n")):
        return chunk
    return b"\n".join(line[:MAX_LINE] for line in chunk.split(b"\n"))


def chunks(stream: BinaryIO, size: int = CHUNK) -> Iterator[bytes]:
    """Blocks of whole lines (the last one may lack its newline at the end of the stream). A block is completed
    with the rest of its last line; of a line longer than :data:`MAX_LINE`, what is past that length is dropped."""
    try:
        while True:
            block = stream.read(size)
            if not block:
                break
            if not block.endswith(b"\n"):
                block += stream.readline(MAX_LINE)
                if not block.endswith(b"\n"):
                    while (skipped := stream.readline(MAX_LINE)) and not skipped.endswith(b"\n"):
                        pass
                    block += b"\n" if skipped else b""
            yield cut_long_lines(block)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise SourceError(f"cannot read: {exc}") from None
