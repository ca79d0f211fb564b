"""Constant regular expressions checked for catastrophic backtracking with the shared analysis in sast/regex.py."""

from __future__ import annotations

from bastion.sast import regex
from bastion.sast.python.checks import on_call
from bastion.sast.taint import Analyzer, CallEvent

_PATTERN_CALLS = tuple(f"{mod}.{fn}" for mod in ("re", "regex") for fn in ("compile", "match", "search", "fullmatch", "findall", "finditer", "sub", "subn", "split"))
_VALIDATORS = ("django.core.validators.RegexValidator", "django.urls.re_path", "wtforms.validators.Regexp")


@on_call(*_PATTERN_CALLS, *_VALIDATORS)
def catastrophic(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    pattern = event.arg(0, "pattern") or event.kwargs.get("regex") or event.kwargs.get("route")
    if pattern is None or not isinstance(pattern.const, str):
        return
    found = regex.redos(pattern.const)
    if found is not None:
        analyzer.report("redos", event.node.span, f"pattern {found.fragment!r} can backtrack exponentially: {found.reason}")
