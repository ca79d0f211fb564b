"""Building mechanical fixes as (line, column, end_line, end_column, replacement) edits.

Fixes are only offered where the change is local and keeps behaviour apart
from the weakness: renaming a call, adding or removing one keyword argument.
"""

from __future__ import annotations

from typing import Any

from bastion.sast import ir

Edit = tuple[int, int, int, int, str]


def replace_node(span: ir.Span, text: str) -> Edit:
    return (span.line, span.column, span.end_line, span.end_column, text)


def add_keyword(file: Any, call: ir.Call, text: str) -> Edit | None:
    """Insert ``text`` (``name=value``) as the last argument of ``call``; None if the source is not what we expect."""
    span = call.span
    line = file.line(span.end_line)
    close = span.end_column - 2  # 0-based index of ")"
    if close < 0 or close >= len(line) or line[close] != ")":
        return None
    has_args = bool(call.args or call.keywords)
    before = line[:close].rstrip()
    separator = "" if not has_args or before.endswith(",") else ", "
    return (span.end_line, close + 1, span.end_line, close + 1, separator + text)


def remove_keyword(file: Any, call: ir.Call, name: str) -> Edit | None:
    """Delete ``name=...`` from ``call`` when it sits on one line with its comma."""
    value = call.keyword(name)
    span = getattr(value, "span", None)
    if span is None or span.line != span.end_line or span.line == 0:
        return None
    line = file.line(span.line)
    start = line.rfind(name, 0, span.column - 1)
    if start < 0:
        return None
    end = span.end_column - 1
    rest = line[end:]
    stripped = rest.lstrip()
    if stripped.startswith(","):
        end += len(rest) - len(stripped) + 1
        while end < len(line) and line[end] == " ":
            end += 1
    else:
        before = line[:start].rstrip()
        if before.endswith(","):
            start = len(before) - 1
    return (span.line, start + 1, span.line, end + 1, "")
