"""What a local name was bound to, for checks that judge an argument's expression (``const IV = Buffer.alloc(16)``)."""

from __future__ import annotations

from typing import Any

from bastion.sast import ir
from bastion.sast.taint import Analyzer


def bindings(hooks: Any, analyzer: Analyzer) -> dict[str, ir.Expr]:
    """Names bound exactly once in the file (at any depth), with their expression; computed once per file."""
    found = hooks.state.get("bindings")
    if found is not None:
        return found
    seen: dict[str, ir.Expr | None] = {}
    stack: list[Any] = list(analyzer.module.body)
    while stack:
        stmt = stack.pop()
        if isinstance(stmt, ir.Assign):
            for target in stmt.targets:
                if isinstance(target, ir.Name):
                    seen[target.id] = stmt.value if target.id not in seen and stmt.op is None else None
        for attr in ("body", "orelse", "final"):
            stack.extend(getattr(stmt, attr, ()) or ())
        for handler in getattr(stmt, "handlers", ()) or ():
            stack.extend(handler.body)
    hooks.state["bindings"] = found = {name: expr for name, expr in seen.items() if expr is not None}
    return found


def resolved(expr: ir.Expr | None, names: dict[str, ir.Expr], depth: int = 3) -> ir.Expr | None:
    """The expression behind a name bound once (followed a few times), else the expression itself."""
    while isinstance(expr, ir.Name) and expr.id in names and depth > 0:
        expr, depth = names[expr.id], depth - 1
    return expr


def qualified(analyzer: Analyzer, expr: ir.Expr | None, names: dict[str, ir.Expr], depth: int = 3) -> str:
    """The qualified name a callee or value expression resolves to, through imports and aliases:
    ``join`` after ``const { join } = require('path')``, ``p.join`` after ``const p = require('path')`` and
    ``mk`` after ``const mk = Buffer.from`` are ``path.join``, ``path.join`` and ``Buffer.from``, as the
    ``call:`` events name them. '' for anything but names and attributes."""
    if isinstance(expr, ir.Attr):
        base = qualified(analyzer, expr.obj, names, depth)
        return f"{base}.{expr.name}" if base else ""
    if not isinstance(expr, ir.Name):
        return ""
    bound = names.get(expr.id)
    if isinstance(bound, (ir.Name, ir.Attr)) and depth > 0:
        return qualified(analyzer, bound, names, depth - 1)
    return analyzer.peek(expr, {}).qual or expr.id


def dotted(expr: ir.Expr) -> str:
    """``crypto.constants.X`` as text; '' for anything but names and attributes."""
    if isinstance(expr, ir.Name):
        return expr.id
    if isinstance(expr, ir.Attr):
        base = dotted(expr.obj)
        return f"{base}.{expr.name}" if base else ""
    return ""


def receiver_names(event: Any) -> list[str]:
    """The names along a method call's receiver (``this.db.knex().raw`` -> knex, db, this), innermost first."""
    names, expr = [], event.node.func.obj if isinstance(event.node.func, ir.Attr) else None
    while isinstance(expr, (ir.Attr, ir.Call, ir.Index)):
        if isinstance(expr, ir.Attr):
            names.append(expr.name)
        expr = expr.func if isinstance(expr, ir.Call) else expr.obj
    if isinstance(expr, ir.Name):
        names.append(expr.id)
    return names
