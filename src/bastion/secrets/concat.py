"""Secrets split into string literals joined with ``+`` (``"sk_live_" + "51H..."``), joined back.

People and assistants split a token to keep a scanner quiet or a line short;
each part alone matches nothing. Every chain of two or more quoted literals
joined by ``+`` (on one line or across lines; in Python also by adjacency,
``("part" "part")``) becomes a short *view*: up to
``_CONTEXT`` bytes of the line before the chain, the parts as one literal, and
the rest of the line up to ``_CONTEXT`` bytes, never reaching into the next or
previous chain. All views of a file go into one
buffer, separated by ``_SEPARATOR`` (no pattern matches across a NUL and a
newline), which the scanner matches like any text in a single pass, so the
key name of a ``password = "..." + "..."`` still counts. Each secret in joined
content is mapped back to the bytes of the file (a secret inside one part still
needs the view when its match crosses a seam: ``"mongodb://u:pw@clu" +
"ster.example.net"``). Views are bounded, so the work stays linear in the file.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Iterator

import re2

from bastion.secrets import catalog

_LITERAL = rb'"[^"\\\r\n]*"|\'[^\'\\\r\n]*\''
_CHAIN = re2.compile(rb"(?:" + _LITERAL + rb")(?:\s*\+\s*(?:" + _LITERAL + rb"))+", options=catalog.re2_options())
# Python also joins adjacent literals: ("sk_live_" "51H...") split over lines inside parentheses.
_PY_CHAIN = re2.compile(rb"(?:" + _LITERAL + rb")(?:(?:\s*\+\s*|\s+)(?:" + _LITERAL + rb"))+", options=catalog.re2_options())
_IMPLICIT = (".py", ".pyi")
#: A quote then blanks and "+", or blanks and a quote: added to the keyword prefilter, so files
#: without it skip the chain pass.
SEAM = rb"[\"'](?:\s*\+|\s+[\"'])"
_CONTEXT = 120
_MAX_CHAIN = 4096
_SEPARATOR = b"\n\x00\n"
_QUOTES = frozenset(b"\"'")


@dataclass(frozen=True)
class View:
    """One chain rebuilt as a single literal, with what is needed to map offsets back."""

    text: bytes
    start: int  # where the joined content begins in ``text``
    pieces: tuple[tuple[int, int, int], ...]  # (start in the joined content, start in the file, length)

    def origin(self, start: int, end: int) -> tuple[int, int, bool] | None:
        """(file start, file end, crosses a seam) of the view span [start, end), if it lies in the joined content."""
        lo, hi = start - self.start, end - self.start
        if lo < 0 or hi > self.pieces[-1][0] + self.pieces[-1][2] or hi <= lo:
            return None
        first = next(i for i, (joined, _, length) in enumerate(self.pieces) if lo < joined + length)
        last = next(i for i, (joined, _, length) in enumerate(self.pieces) if hi <= joined + length)
        j0, f0, _ = self.pieces[first]
        j1, f1, _ = self.pieces[last]
        return f0 + lo - j0, f1 + hi - j1, first != last


def _pieces(data: bytes, begin: int, finish: int) -> list[tuple[int, int]]:
    """(start, end) of each literal's content in a chain: quote, content, quote, blanks and "+" between."""
    pieces, pos = [], begin
    while pos < finish:
        close = data.index(data[pos : pos + 1], pos + 1)
        pieces.append((pos + 1, close))
        pos = close + 1
        while pos < finish and data[pos] not in _QUOTES:
            pos += 1
    return pieces


def views(data: bytes, path: str) -> Iterator[View]:
    """A view for every chain of joined literals in ``data``; neighbouring views share no context."""
    chain = _PY_CHAIN if path.lower().endswith(_IMPLICIT) else _CHAIN
    spans = [m.span() for m in chain.finditer(data)]
    for index, (begin, finish) in enumerate(spans):
        if finish - begin > _MAX_CHAIN:
            continue
        floor = max(spans[index - 1][1] if index else 0, begin - _CONTEXT)
        ceiling = min(spans[index + 1][0] if index + 1 < len(spans) else len(data), finish + _CONTEXT)
        line_start = data.rfind(b"\n", floor, begin) + 1 or floor
        line_end = data.find(b"\n", finish, ceiling)
        line_end = ceiling if line_end < 0 else line_end
        pieces, parts, joined = [], [], 0
        for content_start, content_end in _pieces(data, begin, finish):
            pieces.append((joined, content_start, content_end - content_start))
            parts.append(data[content_start:content_end])
            joined += content_end - content_start
        head = data[line_start:begin] + b'"'
        yield View(head + b"".join(parts) + b'"' + data[finish:line_end], len(head), tuple(pieces))


@dataclass(frozen=True)
class Joined:
    """Every view of a file in one buffer, and where each begins in it."""

    text: bytes
    offsets: tuple[int, ...]
    views: tuple[View, ...]

    def origin(self, start: int, end: int) -> tuple[int, int, bool] | None:
        """:meth:`View.origin` of the buffer span [start, end), through the view that holds it."""
        index = bisect.bisect_right(self.offsets, start) - 1
        base = self.offsets[index]
        return self.views[index].origin(start - base, end - base)

    def parts(self, start: int) -> int:
        """How many literals the chain around buffer offset ``start`` joins."""
        return len(self.views[bisect.bisect_right(self.offsets, start) - 1].pieces)


def joined(data: bytes, path: str) -> Joined | None:
    """All chains of ``data`` (the content of ``path``) as one buffer to scan, or None if there is none."""
    found = tuple(views(data, path))
    if not found:
        return None
    offsets, pos = [], 0
    for view in found:
        offsets.append(pos)
        pos += len(view.text) + len(_SEPARATOR)
    return Joined(_SEPARATOR.join(v.text for v in found), tuple(offsets), found)
