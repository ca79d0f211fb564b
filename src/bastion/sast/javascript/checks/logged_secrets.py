"""Secrets and passwords written to logs, and what a call hands back instead of them.

As in Python (``sast/python/checks/logged_secrets.py``): a call this file cannot see passes its arguments' labels
to its result, but what ``login(password)`` returns is a user, not the password. A logged value that is such a
call's result is not reported; the project's own functions still count through their summaries, and so do calls
that give the same text back in another form (string methods, encodings, JSON).
"""

from __future__ import annotations

from typing import Any

from bastion.sast import ir
from bastion.sast.javascript.checks import on
from bastion.sast.taint import Analyzer, CallEvent, Value

_LEVELS = ("log", "info", "warn", "error", "debug", "trace", "fatal", "verbose", "silly")
_SOURCES = ("secret", "password")
#: Calls and methods whose result is the same text as their argument or receiver, in another form. Not slice() or
#: substring(): a few characters of a token are the masking the fix advises.
_SAME_TEXT = frozenset({"String", "JSON.stringify", "Buffer.from", "encodeURIComponent", "encodeURI", "btoa", "util.inspect",
                        "util.format", "querystring.stringify"})
_SAME_TEXT_METHODS = frozenset({"toString", "trim", "trimStart", "trimEnd", "toLowerCase", "toUpperCase", "replace", "replaceAll",
                                "split", "join", "concat", "padStart", "padEnd", "normalize", "toJSON", "get", "valueOf"})


def _opaque_result(analyzer: Analyzer, value: Value) -> bool:
    qual = value.qual or ""
    if not qual.endswith("()"):
        return False
    callee = qual[:-2]
    if callee in analyzer.functions or callee in analyzer.external or callee in _SAME_TEXT:
        return False
    return callee.rpartition(".")[2] not in _SAME_TEXT_METHODS


def _logger(event: CallEvent) -> bool:
    """``console.log``, ``logger.info``, ``this.log.debug``, ``req.log.warn``: the receiver names a logger."""
    if (event.qual or "").startswith("console."):
        return True
    func = event.node.func
    obj = func.obj if isinstance(func, ir.Attr) else None
    text = obj.id if isinstance(obj, ir.Name) else obj.name if isinstance(obj, ir.Attr) else ""
    return "log" in text.lower()


@on(*(f"method:{level}" for level in _LEVELS), *(f"call:console.{level}" for level in _LEVELS))
def logged_secret(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    if not _logger(event) or hooks.state.get("logged") == event.node.span:
        return
    hooks.state["logged"] = event.node.span  # console.log is both a call and a method event
    for value in event.args[:4]:
        if not _opaque_result(analyzer, value) and analyzer.sink("sensitive-data-logged", value, event.node.span, "written to the log", _SOURCES):
            return
