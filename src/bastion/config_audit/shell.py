"""Just enough shell reading for RUN lines and workflow steps: split a command line into simple commands.

Scanned scripts are never run; this only cuts text at ``&&``, ``||``, ``;``,
``|`` and newlines and splits words, falling back to whitespace when quotes
do not balance.
"""

from __future__ import annotations

import shlex

_SEPARATORS = {"&&", "||", ";", "|", "&", "\n"}


def commands(script: str) -> list[list[str]]:
    """The simple commands of ``script`` as word lists (``a && b | c`` -> ``[[a], [b], [c]]``)."""
    lexer = shlex.shlex(script.replace("\\\n", " "), posix=True, punctuation_chars=";&|\n")
    lexer.whitespace = " \t\r"
    lexer.whitespace_split = True
    lexer.commenters = ""
    try:
        tokens = list(lexer)
    except ValueError:
        tokens = script.replace("\\\n", " ").replace("\n", " ; ").split()
    result: list[list[str]] = [[]]
    for token in tokens:
        if token in _SEPARATORS or set(token) <= set(";&|\n"):
            if result[-1]:
                result.append([])
        else:
            result[-1].append(token)
    return [c for c in result if c]


def pipelines(script: str) -> list[str]:
    """The text of each pipeline (commands joined by ``|``), cut at ``&&``, ``||``, ``;`` and newlines."""
    out = []
    for part in script.replace("\\\n", " ").replace("&&", "\n").replace("||", "\n").replace(";", "\n").split("\n"):
        if part.strip():
            out.append(part.strip())
    return out
