"""Secrets split into string literals joined with ``+`` (``"sk_live_" + "51H..."``), joined back.

People and assistants split a token to keep a scanner quiet or a line short;
each part alone matches nothing. Every chain of two or more quoted literals
joined by ``+`` (on one line or across lines) becomes a short *view*: up to
``_CONTEXT`` bytes of the line before the chain, the parts as one literal, and
the rest of the line up to ``_CONTEXT`` bytes. The scanner matches that view
like any text, so the key name of a ``password = "..." + "..."`` still counts,
and each secret in the joined content is mapped back to the bytes of the file
(a secret inside one part still needs the view when its match crosses a seam:
``"mongodb://u:pw@clu" + "ster.example.net"``). Views are bounded, so the work
stays linear in the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import re2

from bastion.secrets import catalog

_LITERAL = rb'"[^"\\\r\n]*"|\'[^\'\\\r\n]*\''
_CHAIN = re2.compile(rb"(?:" + _LITERAL + rb")(?:\s*\+\s*(?:" + _LITERAL + rb"))+", options=catalog.re2_options())
_PIECE = re2.compile(_LITERAL, options=catalog.re2_options())
#: A quote, blanks and "+": added to the keyword prefilter, so files without it skip the chain pass.
SEAM = rb"[\"']\s*\+"
_CONTEXT = 120
_MAX_CHAIN = 4096


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


def views(data: bytes) -> Iterator[View]:
    """A view for every chain of joined literals in ``data``."""
    for chain in _CHAIN.finditer(data):
        begin, finish = chain.span()
        if finish - begin > _MAX_CHAIN:
            continue
        pieces, parts, joined = [], [], 0
        for piece in _PIECE.finditer(data, begin, finish):
            content_start, content_end = piece.start() + 1, piece.end() - 1
            pieces.append((joined, content_start, content_end - content_start))
            parts.append(data[content_start:content_end])
            joined += content_end - content_start
        line_start = max(data.rfind(b"\n", 0, begin) + 1, begin - _CONTEXT)
        line_end = data.find(b"\n", finish)
        line_end = min(len(data) if line_end < 0 else line_end, finish + _CONTEXT)
        head = data[line_start:begin] + b'"'
        yield View(head + b"".join(parts) + b'"' + data[finish:line_end], len(head), tuple(pieces))
