"""Dockerfile text made bounded and heredoc-free before dockerfile-parse reads it.

dockerfile-parse 2.0.1 does not know BuildKit heredocs: ``RUN <<EOF`` comes
out as a RUN whose value is ``<<EOF``, followed by one bogus instruction per
body line. Here each body is cut out before parsing (replaced by blank lines,
so line numbers stay right) and handed back keyed by the line of the
instruction that opened it.

Bounds: the parser's regexes are anchored and linear (a subprocess test feeds
them hostile lines), but it joins continuation lines by repeated string
concatenation, which is quadratic in the length of one instruction. Files
over ``MAX_BYTES`` and lines over ``MAX_LINE`` are therefore refused before
the parser sees them; at the cap, one instruction continued over the whole
file parses in about 0.2 s. Only the first ``MAX_MARKERS`` heredocs of a line are
read, which keeps the marker scan linear too.
"""

from __future__ import annotations

import itertools
import posixpath
from dataclasses import dataclass

import re2

MAX_BYTES = 512 * 1024
MAX_LINE = 64 * 1024
MAX_MARKERS = 16

MARKER = re2.compile(r"<<(-?)[\"']?([A-Za-z_][A-Za-z0-9_.-]*)[\"']?")
_HEREDOC_INSTRUCTIONS = ("RUN", "COPY", "ADD")
_SHELLS = {"sh", "bash", "ash", "dash", "zsh", "ksh"}


@dataclass
class Heredoc:
    """One heredoc body; ``script`` says whether a shell runs it (``RUN <<EOF``, ``RUN bash <<EOF``)."""

    body: str
    script: bool


class DockerfileTooLarge(ValueError):
    """The text is beyond the bounds this engine parses."""


def prepare(text: str) -> tuple[str, dict[int, list[Heredoc]]]:
    """(text with heredoc bodies blanked, instruction line -> its heredocs); raises DockerfileTooLarge."""
    if len(text) > MAX_BYTES:
        raise DockerfileTooLarge(f"Dockerfile larger than {MAX_BYTES} bytes")
    parts = text.split("\n")  # as the parser splits: only at \n, so line numbers agree
    lines = [part + "\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
    if any(len(line) > MAX_LINE for line in lines):
        raise DockerfileTooLarge(f"Dockerfile line longer than {MAX_LINE} characters")
    out: list[str] = []
    heredocs: dict[int, list[Heredoc]] = {}
    start = 0
    keyword = ""
    pending: list[tuple[bool, str, bool]] = []
    continuing = False
    index = 0
    while index < len(lines):
        line = lines[index]
        out.append(line)
        index += 1
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not continuing:
            start, keyword = index, stripped.split(None, 1)[0].upper()
        if keyword in _HEREDOC_INSTRUCTIONS:
            pending.extend(_markers(stripped, first=not continuing, run=keyword == "RUN"))
        continuing = stripped.endswith("\\")
        if continuing or not pending:
            continue
        for dash, word, script in pending:
            body, after = _body(lines, index, word, dash)
            script = script and not (body and body[0].startswith("#!") and _interpreter(body[0]) not in _SHELLS)
            heredocs.setdefault(start, []).append(Heredoc("".join(body), script))
            out.extend("\n" for _ in range(after - index))
            index = after
        pending = []
    return "".join(out), heredocs


def _markers(line: str, first: bool, run: bool) -> list[tuple[bool, str, bool]]:
    """(strip tabs?, terminator word, body is a shell script?) for each ``<<WORD`` on an instruction line."""
    found = []
    for match in itertools.islice(MARKER.finditer(line), MAX_MARKERS):
        before = line[:match.start()]
        if first:
            before = before.split(None, 1)[1] if len(before.split(None, 1)) > 1 else ""
        words = [w for w in before.replace("&&", ";").replace("|", ";").split(";")[-1].split()
                 if not w.startswith("--")]
        shell = not words or posixpath.basename(words[0]) in _SHELLS
        found.append((match.group(1) == "-", match.group(2), run and shell))
    return found


def _interpreter(shebang: str) -> str:
    """``#!/usr/bin/env python3`` -> ``python3``; ``#!/bin/bash -e`` -> ``bash``."""
    words = shebang[2:].split()
    if words and posixpath.basename(words[0]) == "env" and len(words) > 1:
        words = words[1:]
    return posixpath.basename(words[0]) if words else ""


def _body(lines: list[str], index: int, word: str, dash: bool) -> tuple[list[str], int]:
    """The body lines from ``index`` up to the terminator ``word`` (or the end), and the index after it."""
    body = []
    while index < len(lines):
        line = lines[index]
        index += 1
        if (line.lstrip("\t") if dash else line).rstrip("\r\n") == word:
            return body, index
        body.append(line)
    return body, index
