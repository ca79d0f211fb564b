"""Names bound at import time to one of a few known objects.

``_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)`` picks the C loader
when it is compiled in and the pure-Python one otherwise; so does
``try: from yaml import CSafeLoader as SafeLoader`` / ``except ImportError:
from yaml import SafeLoader``. The analysis keeps one qualified name per
value, so such a value is unknown; here the candidates are remembered
(``yaml.CSafeLoader`` or ``yaml.SafeLoader``) so that a check can accept the
value when every candidate is safe.
"""

from __future__ import annotations

from bastion.sast import ir
from bastion.sast.python.checks import on, on_call
from bastion.sast.taint import Analyzer, CallEvent, Value


@on_call("getattr")
def constant_getattr(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    """``getattr(obj, "NAME", default)`` with a known object, a constant name and a known default."""
    obj, name, default = (event.arg(i) for i in range(3))
    if obj is None or name is None or default is None or event.kwargs or event.splats:
        return
    if obj.qual and isinstance(name.const, str) and name.const.isidentifier() and default.qual:
        hooks.alternatives[event.node.span] = frozenset({f"{obj.qual}.{name.const}", default.qual})


@on("assign")
def bind_alternatives(hooks, analyzer: Analyzer, name: str, value: Value, span: ir.Span) -> None:
    """``NAME = getattr(...)``: the name now stands for the call's candidates (or for nothing known)."""
    found = [c for s, c in hooks.alternatives.items() if isinstance(s, ir.Span) and _within(s, span)]
    if value.qual == "getattr()" and len(found) == 1:
        hooks.alternatives[name] = found[0]
    else:
        hooks.alternatives.pop(name, None)


def candidates(hooks, analyzer: Analyzer, expr: ir.Expr | None) -> frozenset[str]:
    """What ``expr`` may be, when it is such a call or a name bound to one; empty when unknown."""
    if isinstance(expr, ir.Name):
        return hooks.alternatives.get(expr.id) or _import_choices(hooks, analyzer).get(expr.id, frozenset())
    if isinstance(expr, ir.Call):
        return hooks.alternatives.get(expr.span, frozenset())
    return frozenset()


def _within(inner: ir.Span, outer: ir.Span) -> bool:
    return (outer.line, outer.column) <= (inner.line, inner.column) and (inner.end_line, inner.end_column) <= (outer.end_line, outer.end_column)


def _import_choices(hooks, analyzer: Analyzer) -> dict[str, frozenset[str]]:
    """Names a module-level ``try``/``except`` imports in more than one branch, with every object they may be."""
    key = ("try-imports",)
    if key not in hooks.alternatives:
        choices: dict[str, set[str]] = {}
        for stmt in analyzer.module.body:
            if isinstance(stmt, ir.Try):
                for block in (stmt.body, *(h.body for h in stmt.handlers)):
                    for name, qual in _imported(hooks, analyzer, block):
                        choices.setdefault(name, set()).add(qual)
        hooks.alternatives[key] = {n: frozenset(q) for n, q in choices.items() if len(q) > 1}
    return hooks.alternatives[key]


def _imported(hooks, analyzer: Analyzer, block: tuple[ir.Stmt, ...]) -> list[tuple[str, str]]:
    out = []
    for stmt in block:
        if isinstance(stmt, ir.ImportFrom):
            base = hooks.resolve_import(stmt.module, stmt.level, analyzer.module.name)
            out += [(asname or name, hooks.canonical(f"{base}.{name}")) for name, asname in stmt.names if name != "*"]
    return out
