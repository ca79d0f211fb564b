"""Syntax trees for scanned files, one tree-sitter parser per language.

tree-sitter parses any version of a language's grammar whatever interpreter
runs Bastion (Python 3.12 f-strings and 3.14 t-strings on a 3.11 host), never
raises on malformed input (errors become ERROR nodes) and is fast. Parsers are
built once per process and reused.

A parse is one native call, which the per-file time budget (a SIGALRM)
cannot interrupt. The Python grammar's scanner looks ahead over every
following comment line at each line end, so a run of N comment-only lines
costs N² (20,000 of them took 80 s). Long runs are blanked before the parse,
byte for byte (each character but the newline becomes a space), so offsets,
lines and columns are unchanged; the analyses skip comments anyway.
tree-sitter's own cancellation (a progress callback) is not used: it needs
the source read through a callback, and this binding leaks every chunk read
that way (in such a stall, tens of MB a second).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import tree_sitter

#: Language name -> (grammar module, attribute holding the language pointer).
_GRAMMARS: dict[str, tuple[str, str]] = {
    "python": ("tree_sitter_python", "language"),
    "javascript": ("tree_sitter_javascript", "language"),
    "typescript": ("tree_sitter_typescript", "language_typescript"),
    "tsx": ("tree_sitter_typescript", "language_tsx"),
}


class UnsupportedLanguage(ValueError):
    """No grammar is registered for the language asked for."""


@lru_cache(maxsize=None)
def grammar(language: str) -> tree_sitter.Language:
    try:
        module_name, attribute = _GRAMMARS[language]
    except KeyError:
        raise UnsupportedLanguage(f"no parser for language {language!r}") from None
    module = __import__(module_name)
    return tree_sitter.Language(getattr(module, attribute)())


@lru_cache(maxsize=None)
def _parser(language: str) -> tree_sitter.Parser:
    return tree_sitter.Parser(grammar(language))


#: Runs of this many comment-only lines or more are blanked before a Python parse (64² steps cost nothing).
_COMMENT_RUN = 64
_COMMENT_RUNS = re.compile(rb"(?:^[ \t]*#[^\n]*\n){%d,}" % _COMMENT_RUN, re.MULTILINE)
_NOT_NEWLINE = re.compile(rb"[^\n]")


def parse(language: str | None, data: bytes) -> Any:
    """Parse ``data`` as ``language`` and return the tree-sitter ``Tree``."""
    if language is None:
        raise UnsupportedLanguage("file has no detected language")
    if language == "python":
        data = blank_comment_runs(data)
    return _parser(language).parse(data)


def blank_comment_runs(data: bytes) -> bytes:
    """``data`` with every run of :data:`_COMMENT_RUN` or more comment-only lines turned into blank lines of the
    same length (a run inside a triple-quoted string is blanked too: a string of that shape is no flaw's source)."""
    if data.count(b"#") < _COMMENT_RUN:
        return data
    return _COMMENT_RUNS.sub(lambda run: _NOT_NEWLINE.sub(b" ", run.group()), data)


def supported_languages() -> tuple[str, ...]:
    return tuple(_GRAMMARS)
