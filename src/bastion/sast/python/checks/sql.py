"""What kind of SQL statement a sink runs, read from the constant text it starts with.

A query assembled from a function's parameters, with no untrusted source in
sight, is reported at medium confidence (the core's "built" sinks): the
classic ``cursor.execute(f"SELECT ... WHERE name = '{name}'")`` in a helper.
Statements that administer the database -- ``CREATE``/``DROP``/``ALTER``
tables and users, ``GRANT``, ``SET`` session options, ``PRAGMA`` -- take
identifiers and settings, which SQL cannot pass as parameters: code that
builds them from its parameters is how drivers, ORMs and migrations work
(quoting names), not a missing placeholder. Those medium findings are
dropped here (:func:`administrative`); the same statements still report at
full confidence when untrusted data actually reaches them.
"""

from __future__ import annotations

from bastion.sast import ir
from bastion.sast.python.checks import on_call, on_method
from bastion.sast.python.semantics import statements
from bastion.sast.taint import Analyzer, CallEvent, Hit, doubled_note

_ADMIN_KEYWORDS = frozenset({"create", "drop", "alter", "grant", "revoke", "truncate", "set", "pragma", "use", "purge",
                             "comment", "analyze", "vacuum", "rename", "savepoint", "release", "reindex", "cluster"})
_SQL_METHODS = ("execute", "executemany", "executescript", "exec_driver_sql", "mogrify")
_SQL_CALLS = ("sqlalchemy.text", "sqlalchemy.sql.text", "sqlalchemy.sql.expression.text")


@on_method(*_SQL_METHODS)
@on_call(*_SQL_CALLS)
def statement_kind(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    """Remember the calls whose SQL text starts with an administrative keyword."""
    expr = event.node.args[0] if event.node.args else None
    text = _leading_text(expr, analyzer, event.node.span, 0)
    words = text.split(None, 1) if text else []
    if words and words[0].lower().strip("(;") in _ADMIN_KEYWORDS:
        hooks.admin_sql.add(event.node.span)


def administrative(hooks, hit: Hit) -> bool:
    """A medium SQL finding (built from non-constant parts, or from a caller unknown) on an administrative statement."""
    medium = bool(hit.data.get("dynamic") or hit.data.get("caller-unknown"))
    return hit.rule == "sql-injection" and medium and hit.span in hooks.admin_sql


_QUOTES_DOUBLED = frozenset(doubled_note(quote) for quote in ("'", '"'))


def quotes_doubled(hit: Hit) -> bool:
    """SQL whose untrusted part had its quotes doubled (``path.replace("'", "''")``): the standard escape of a
    string literal, safe where the literal is quoted and the database reads no backslash escapes (SQLite,
    PostgreSQL; not MySQL's default mode), so a low-severity finding rather than an injection."""
    return hit.rule == "sql-injection" and any(step.note in _QUOTES_DOUBLED for step in hit.trace)


def _leading_text(expr: ir.Expr | None, analyzer: Analyzer, before: ir.Span, depth: int) -> str:
    """The constant text a string expression starts with: literals, f-strings, ``%``/``+``/``.format``, one local variable."""
    if expr is None or depth > 6:
        return ""
    if isinstance(expr, ir.Const):
        return expr.value if isinstance(expr.value, str) else ""
    if isinstance(expr, ir.Concat):
        return _leading_text(expr.parts[0], analyzer, before, depth + 1) if expr.parts else ""
    if isinstance(expr, ir.BinOp) and expr.op in ("%", "+"):
        return _leading_text(expr.left, analyzer, before, depth + 1)
    if isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr) and expr.func.name == "format":
        return _leading_text(expr.func.obj, analyzer, before, depth + 1)
    if isinstance(expr, ir.Call) and isinstance(expr.func, ir.Name) and expr.func.id == "text" and expr.args:
        return _leading_text(expr.args[0], analyzer, before, depth + 1)  # conn.execute(text(statement))
    if isinstance(expr, ir.Attr) and isinstance(expr.obj, ir.Name) and expr.obj.id == "self":
        return _class_constant(analyzer, expr.name)
    if isinstance(expr, ir.Name):
        return _leading_text(_last_assignment(analyzer, expr.id, before), analyzer, before, depth + 1)
    return ""


def _class_constant(analyzer: Analyzer, name: str) -> str:
    """``self.sql_delete_table``: a string constant of the method's class (Django's schema-editor templates)."""
    fn = analyzer.current_function
    value = analyzer.class_attrs.get(fn.cls, {}).get(name) if fn is not None and fn.cls else None
    return value.const if value is not None and isinstance(value.const, str) else ""


def _last_assignment(analyzer: Analyzer, name: str, before: ir.Span) -> ir.Expr | None:
    """The expression last assigned to ``name`` in the current function before ``before``."""
    fn = analyzer.current_function
    if fn is None:
        return None
    found = None
    for stmt in statements(fn.node.body):
        if isinstance(stmt, ir.Assign) and stmt.span.line < before.line and not stmt.op and any(
                isinstance(t, ir.Name) and t.id == name for t in stmt.targets):
            found = stmt.value
    return found
