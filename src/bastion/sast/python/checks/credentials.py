"""``hardcoded-credential``: a credential-named value compared with, or set to, a literal."""

from __future__ import annotations

from bastion.sast import ir
from bastion.sast.credential_literals import credential_literal, holds_credential, masked
from bastion.sast.python.checks import on
from bastion.sast.python.semantics import name_class
from bastion.sast.taint import Analyzer, Value

#: Names that hold a credential here: passwords and secrets, not tokens of a parser or types of a grant.
_CLASSES = ("password", "secret")


def _credential_name(expr: ir.Expr) -> str | None:
    name = expr.id if isinstance(expr, ir.Name) else expr.name if isinstance(expr, ir.Attr) else None
    if name is None and isinstance(expr, ir.Index) and isinstance(expr.index, ir.Const) and isinstance(expr.index.value, str):
        name = expr.index.value
    return name if name and name_class(name) in _CLASSES and holds_credential(name) else None


@on("compare")
def compared_with_literal(hooks, analyzer: Analyzer, node: ir.Compare, values: list[Value]) -> None:
    if len(node.ops) != 1 or node.ops[0] not in ("==", "!=", "is", "is not", "in"):
        return
    sides = (node.left, node.comparators[0])
    for mine, other in ((sides[0], sides[1]), (sides[1], sides[0])):
        name = _credential_name(mine)
        literals = [other.value] if isinstance(other, ir.Const) else [
            item.value for item in other.items if isinstance(item, ir.Const)] if isinstance(other, ir.Seq) else []
        found = next((t for t in (credential_literal(v, compared=True) for v in literals) if t), None)
        if name and found:
            analyzer.report("hardcoded-credential", node.span, f"'{name}' compared with the literal {masked(found)}")
            return


@on("assign")
def assigned_literal(hooks, analyzer: Analyzer, name: str, value: Value, span: ir.Span) -> None:
    found = credential_literal(value.const, compared=False) if value.is_const and name_class(name) in _CLASSES and holds_credential(name) else None
    if found:
        analyzer.report("hardcoded-credential", span, f"'{name}' set to the literal {masked(found)}")


@on("store")
def stored_literal(hooks, analyzer: Analyzer, target: ir.Expr, base: Value, value: Value, span: ir.Span) -> None:
    name = _credential_name(target)
    found = credential_literal(value.const, compared=False) if name and value.is_const else None
    if found:
        analyzer.report("hardcoded-credential", span, f"'{name}' set to the literal {masked(found)}")
