"""``--follow``: read logs as they grow, survive rotation, alert on each new incident, export metrics.

Each file is tailed like ``tail -F``: from its end, re-opened from the start
when the path names a new file (rename rotation: a different inode) or the file
shrank or its first bytes changed (copytruncate, even when the new content has
already grown past the old position), after the old file's last lines are read. Memory stays
bounded: at most one unfinished line per file (cut at ``MAX_LINE``), and the
analyzer's windows and incident book have fixed caps. Spikes are judged once a
minute against the minutes seen so far.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bastion.logs.sources import MAX_LINE, cut_long_lines

POLL_SECONDS = 0.5
READ_SIZE = 1 << 20
HEAD = 64


class Tail:
    """One followed file: new complete lines on each :meth:`poll`, across rotations."""

    def __init__(self, path: Path, from_start: bool = False) -> None:
        self.path = path
        self._file = None
        self._inode = None
        self._rest = b""
        self._head = b""
        self._open(at_end=not from_start)

    def _open(self, at_end: bool) -> None:
        try:
            handle = open(self.path, "rb")  # noqa: SIM115 -- kept open between polls
        except OSError:
            self._file = None
            return
        stat = os.fstat(handle.fileno())
        if at_end:
            handle.seek(0, os.SEEK_END)
        self._file, self._inode = handle, stat.st_ino
        self._head = os.pread(handle.fileno(), HEAD, 0)

    def _read_all(self) -> bytes:
        out = []
        while self._file is not None:
            block = self._file.read(READ_SIZE)
            if not block:
                break
            out.append(block)
        return b"".join(out)

    def _rotated(self) -> bool:
        try:
            stat = os.stat(self.path)
        except OSError:
            return False  # gone for now: keep the old file until a new one appears
        if self._file is None:
            return True
        if stat.st_ino != self._inode or stat.st_size < self._file.tell():
            return True
        head = os.pread(self._file.fileno(), HEAD, 0)
        rewritten = head[: len(self._head)] != self._head
        if len(head) > len(self._head) and not rewritten:
            self._head = head
        return rewritten

    def poll(self) -> bytes:
        """Complete new lines (possibly none), across a rotation if one happened."""
        return b"".join(chunk for chunk, _ in self.segments())

    def segments(self) -> list[tuple[bytes, bool]]:
        """New complete lines as (bytes, starts a new file): the old file's last lines, then the new file's."""
        out = []
        old = self._whole_lines(self._read_all())
        if old:
            out.append((old, False))
        if self._rotated():
            if self._rest:  # the old file's unfinished last line ends with it
                out.append((cut_long_lines(self._rest + b"\n"), False))
                self._rest = b""
            if self._file is not None and os.stat(self.path).st_ino == self._inode:  # truncated in place
                self._file.seek(0)
                self._head = os.pread(self._file.fileno(), HEAD, 0)
            else:
                if self._file is not None:
                    self._file.close()
                self._open(at_end=False)
            out.append((self._whole_lines(self._read_all()), True))
        return out

    def _whole_lines(self, data: bytes) -> bytes:
        data = self._rest + data
        end = data.rfind(b"\n")
        if end < 0:
            self._rest = data[-MAX_LINE:]
            return b""
        self._rest = data[end + 1:][-MAX_LINE:]
        return cut_long_lines(data[: end + 1])

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


class StdinTail:
    """Standard input as a followed stream: whatever has arrived, in whole lines."""

    def __init__(self) -> None:
        self._fd = sys.stdin.fileno()
        self._rest = b""
        self.closed = False
        os.set_blocking(self._fd, False)

    def poll(self) -> bytes:
        data = b""
        while True:
            try:
                block = os.read(self._fd, READ_SIZE)
            except BlockingIOError:
                break
            if not block:
                self.closed = True
                break
            data += block
        data = self._rest + data
        end = data.rfind(b"\n")
        if self.closed and end < len(data) - 1:
            self._rest = b""
            return cut_long_lines(data)
        self._rest = data[end + 1:][-MAX_LINE:] if end >= 0 else data[-MAX_LINE:]
        return cut_long_lines(data[: end + 1]) if end >= 0 else b""

    def segments(self) -> list[tuple[bytes, bool]]:
        return [(self.poll(), False)]

    def close(self) -> None:
        pass


def follow(tails: dict[str, object], feed: Callable[[str, bytes, bool], None], tick: Callable[[float], None],
           should_stop: Callable[[], bool], poll_seconds: float = POLL_SECONDS) -> None:
    """Poll every tail, hand new lines to ``feed(name, chunk, starts_new_file)``, call ``tick(now)`` once a second, until told to stop."""
    last_tick = 0.0
    while not should_stop():
        busy = False
        for name, tail in tails.items():
            for chunk, new_file in tail.segments():
                if chunk or new_file:
                    busy = True
                    feed(name, chunk, new_file)
        now = time.time()
        if now - last_tick >= 1.0:
            tick(now)
            last_tick = now
        if all(isinstance(t, StdinTail) and t.closed for t in tails.values()):
            break
        if not busy:
            time.sleep(poll_seconds)
