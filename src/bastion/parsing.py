"""Syntax trees for scanned files, one tree-sitter parser per language.

tree-sitter parses any version of a language's grammar whatever interpreter
runs Bastion (Python 3.12 f-strings and 3.14 t-strings on a 3.11 host), never
raises on malformed input (errors become ERROR nodes) and is fast. Parsers are
built once per process and reused.
"""

from __future__ import annotations

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


def parse(language: str | None, data: bytes) -> Any:
    """Parse ``data`` as ``language`` and return the tree-sitter ``Tree``."""
    if language is None:
        raise UnsupportedLanguage("file has no detected language")
    return _parser(language).parse(data)


def supported_languages() -> tuple[str, ...]:
    return tuple(_GRAMMARS)
