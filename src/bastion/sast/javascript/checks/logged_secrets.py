"""Secrets and passwords written to logs, and what a call hands back instead of them.

As in Python (``sast/python/checks/logged_secrets.py``): a call this file cannot see passes its arguments' labels
to its result, but what ``login(password)`` returns is a user, not the password. A logged value that is such a
call's result is not reported; the project's own functions still count through their summaries, and so do calls
that give the same text back in another form (string methods, encodings, JSON).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bastion.sast import ir
from bastion.sast.javascript.checks import on
from bastion.sast.javascript.checks.bindings import bindings, qualified
from bastion.sast.javascript.semantics import name_class
from bastion.sast.taint import Analyzer, CallEvent, Value

_LEVELS = ("log", "info", "warn", "error", "debug", "trace", "fatal", "verbose", "silly")
_SOURCES = ("secret", "password")
#: Calls and methods whose result is the same text as their argument or receiver, in another form. Not slice() or
#: substring(): a few characters of a token are the masking the fix advises.
_SAME_TEXT = frozenset({"String", "JSON.stringify", "Buffer.from", "encodeURIComponent", "encodeURI", "btoa", "util.inspect",
                        "util.format", "querystring.stringify"})
_SAME_TEXT_METHODS = frozenset({"toString", "trim", "trimStart", "trimEnd", "toLowerCase", "toUpperCase", "replace", "replaceAll",
                                "split", "join", "concat", "padStart", "padEnd", "normalize", "toJSON", "get", "valueOf"})


def opaque_result(analyzer: Analyzer, value: Value) -> bool:
    """The value is what a library call returned, or a part of it (``(await releases.create({ token })).url``,
    ``member.subscriptions`` after ``member = await ssr.exchangeTokenForSession(req)``): not the secret passed in.
    Calls of this project's functions and calls that give the same text back do not count."""
    qual = value.qual or ""
    if "()" not in qual:
        return False
    callee = qual[: qual.index("()")]
    if callee in analyzer.functions or callee in analyzer.external or callee in _SAME_TEXT:
        return False
    return callee.rpartition(".")[2] not in _SAME_TEXT_METHODS


#: Names that hold a secret too rarely to report logging them: "credentials" names file paths
#: (``files.credentials``), fetch modes and containers as often as secrets; a promise is not its value.
_VAGUE_WORDS = ("credential", "promise")


def _named_secrets(value: Value) -> Value:
    """The value with only the labels of names that hold one secret (and the parameters, for the summary)."""
    kept = frozenset(l for l in value.labels if l.kind == "param" or not any(w in l.origin.lower() for w in _VAGUE_WORDS))
    return value if kept == value.labels else replace(value, labels=kept)


def named_here(analyzer: Analyzer, value: Value) -> Value:
    """What a library call returned keeps only the secret its own name declares (``console.log(token)`` after
    ``token = jwt.sign(...)``), not the labels of the arguments that went into the call."""
    if not opaque_result(analyzer, value):
        return value
    return replace(value, labels=frozenset(l for l in value.labels if l.kind != "param" and len(l.trace) <= 1))


def _opaque_call(hooks: Any, analyzer: Analyzer, expr: ir.Expr) -> bool:
    """``log._('starting ' + type)``, ``await login(email, password)``: an argument that is a library's call result."""
    if not isinstance(expr, ir.Call):
        return False
    name = expr.func.name if isinstance(expr.func, ir.Attr) else expr.func.id if isinstance(expr.func, ir.Name) else ""
    if name in _SAME_TEXT_METHODS or qualified(analyzer, expr.func, bindings(hooks, analyzer)) in _SAME_TEXT:
        return False
    return not any(qual == name or qual.endswith("." + name) for qual in analyzer.functions)


def _text_of_call_results(hooks: Any, analyzer: Analyzer, expr: ir.Expr) -> bool:
    """`` `created ${release.url}` `` after ``release = await releases.create({ token })``: text whose every
    non-constant part reads what a library call returned, and none names a secret itself."""
    if not isinstance(expr, ir.Concat):
        return False
    names = bindings(hooks, analyzer)
    parts = [p for p in expr.parts if not isinstance(p, ir.Const)]
    for part in parts:
        root = part
        while isinstance(root, (ir.Attr, ir.Index)):
            root = root.obj
        if not isinstance(root, ir.Name) or name_class(root.id) is not None:
            return False
        bound = names.get(root.id)
        if bound is None or not _opaque_call(hooks, analyzer, bound):
            return False
    return bool(parts)


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
    for expr, value in zip(event.node.args[:4], event.args[:4]):
        if _opaque_call(hooks, analyzer, expr) or _text_of_call_results(hooks, analyzer, expr):
            continue
        if analyzer.sink("sensitive-data-logged", _named_secrets(named_here(analyzer, value)), event.node.span, "written to the log", _SOURCES):
            return
