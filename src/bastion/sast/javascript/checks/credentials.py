"""``hardcoded-credential``: a credential-named value compared with, or set to, a literal."""

from __future__ import annotations

from typing import Any

from bastion.sast import ir
from bastion.sast.credential_literals import credential_literal, holds_credential, masked
from bastion.sast.javascript.checks import on
from bastion.sast.javascript.semantics import name_class
from bastion.sast.taint import Analyzer, Value


def _credential_name(expr: ir.Expr) -> str | None:
    name = expr.id if isinstance(expr, ir.Name) else expr.name if isinstance(expr, ir.Attr) else None
    if name is None and isinstance(expr, ir.Index) and isinstance(expr.index, ir.Const) and isinstance(expr.index.value, str):
        name = expr.index.value
    return name if name and "$" not in name and name_class(name) is not None and holds_credential(name) else None


@on("compare")
def compared_with_literal(hooks: Any, analyzer: Analyzer, node: ir.Compare, values: list[Value]) -> None:
    if len(node.ops) != 1 or node.ops[0] not in ("==", "!=", "===", "!=="):
        return
    sides = (node.left, node.comparators[0])
    for mine, other in ((sides[0], sides[1]), (sides[1], sides[0])):
        name = _credential_name(mine)
        found = credential_literal(other.value, compared=True) if name and isinstance(other, ir.Const) else None
        if found:
            analyzer.report("hardcoded-credential", node.span, f"'{name}' compared with the literal {masked(found)}")
            return


@on("assign")
def assigned_literal(hooks: Any, analyzer: Analyzer, name: str, value: Value, span: ir.Span) -> None:
    if "$" in name or not value.is_const or name_class(name) is None or not holds_credential(name):
        return
    found = credential_literal(value.const, compared=False)
    if found:
        analyzer.report("hardcoded-credential", span, f"'{name}' set to the literal {masked(found)}")


@on("store")
def stored_literal(hooks: Any, analyzer: Analyzer, target: ir.Expr, base: Value, value: Value, span: ir.Span) -> None:
    name = _credential_name(target)
    found = credential_literal(value.const, compared=False) if name and value.is_const else None
    if found:
        analyzer.report("hardcoded-credential", span, f"'{name}' set to the literal {masked(found)}")
