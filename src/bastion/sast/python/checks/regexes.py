"""Constant regular expressions checked for catastrophic backtracking with the shared analysis in sast/regex.py."""

from __future__ import annotations

from bastion.sast import regex
from bastion.sast.python.checks import on_call
from bastion.sast.taint import Analyzer, CallEvent

_PATTERN_CALLS = tuple(f"{mod}.{fn}" for mod in ("re", "regex") for fn in ("compile", "match", "search", "fullmatch", "findall", "finditer", "sub", "subn", "split"))
_VALIDATORS = ("django.core.validators.RegexValidator", "django.urls.re_path", "wtforms.validators.Regexp")
#: Where each ``re`` function takes its flags positionally (``re.sub(pattern, repl, string, count, flags)``).
_FLAGS_POSITION = {"compile": 1, "match": 2, "search": 2, "fullmatch": 2, "findall": 2, "finditer": 2,
                   "split": 3, "sub": 4, "subn": 4}


def _flags(event: CallEvent) -> int:
    """The constant flags passed to the call (IGNORECASE changes which branches overlap), else 0."""
    qual = event.qual or ""
    position = _FLAGS_POSITION.get(qual.rsplit(".", 1)[-1]) if qual.startswith(("re.", "regex.")) else None
    value = event.arg(position, "flags") if position is not None else event.kwargs.get("flags")
    return value.const if value is not None and isinstance(value.const, int) else 0


@on_call(*_PATTERN_CALLS, *_VALIDATORS)
def catastrophic(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    pattern = event.arg(0, "pattern") or event.kwargs.get("regex") or event.kwargs.get("route")
    if pattern is None or not isinstance(pattern.const, str):
        return
    found = regex.redos(pattern.const, _flags(event))
    if found is not None:
        slow = found.prefix + found.pump * 3 + "…" + found.suffix
        analyzer.report("redos", event.node.span, f"pattern {found.fragment!r} can backtrack {found.kind}ly "
                        f"({found.reason}); a slow input repeats {found.pump!r}, e.g. {slow!r}",
                        label=_input_label(event), data={"backtracking": found.kind})


def _input_label(event: CallEvent):
    """The untrusted input the pattern is matched against in this call, if any: with it the finding has a
    traced source; without it (a compiled pattern, text of the program's own) the noise policy caps it."""
    subject = event.arg(1, "string") if not (event.qual or "").endswith(".compile") else None
    labels = subject.real_labels() if subject is not None else []
    return labels[0] if labels else None
