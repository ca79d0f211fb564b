"""``hardcoded-credential``: a credential-named value compared with, or set to, a literal."""

from __future__ import annotations

from typing import Any

from bastion.sast import ir
from bastion.sast.credential_literals import credential_literal, holds_credential, masked
from bastion.sast.javascript.checks import nodes, on
from bastion.sast.javascript.semantics import name_class
from bastion.sast.taint import Analyzer, Value


def _credential_name(expr: ir.Expr) -> str | None:
    name = expr.id if isinstance(expr, ir.Name) else expr.name if isinstance(expr, ir.Attr) else None
    if name is None and isinstance(expr, ir.Index) and isinstance(expr.index, ir.Const) and isinstance(expr.index.value, str):
        name = expr.index.value
    return name if name and "$" not in name and name_class(name) is not None and holds_credential(name) else None


_LOG_METHODS = frozenset({"log", "info", "warn", "warning", "error", "debug", "trace"})


def _only_logs(body: tuple[ir.Stmt, ...]) -> bool:
    """``console.error('credentials are "admin:pass", change them')``: a branch that only tells the operator."""
    return bool(body) and all(isinstance(stmt, ir.ExprStmt) and isinstance(stmt.expr, ir.Call)
                              and isinstance(stmt.expr.func, ir.Attr) and stmt.expr.func.name in _LOG_METHODS for stmt in body)


def _warning_tests(hooks: Any, analyzer: Analyzer) -> set[ir.Span]:
    """Spans of the comparisons in the tests of ``if`` statements whose branch only logs: a check of the configured
    credential against a known default to warn about it, not a credential the program accepts."""
    found = hooks.state.get("warning-tests")
    if found is not None:
        return found
    found = set()
    for node in nodes(analyzer.module):
        if isinstance(node, ir.If) and _only_logs(node.body):
            tests = [node.test]
            while tests:
                test = tests.pop()
                if isinstance(test, ir.BoolOp):
                    tests.extend(test.values)
                elif isinstance(test, ir.Compare):
                    found.add(test.span)
    hooks.state["warning-tests"] = found
    return found


@on("compare")
def compared_with_literal(hooks: Any, analyzer: Analyzer, node: ir.Compare, values: list[Value]) -> None:
    if len(node.ops) != 1 or node.ops[0] not in ("==", "!=", "===", "!==") or node.span in _warning_tests(hooks, analyzer):
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
