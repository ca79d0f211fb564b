"""What names mean in one module: imports, module-level objects, and dotted renderings of expressions.

A deliberately small resolver (the taint core has the full one): the map
needs to know that ``app`` is ``flask.Flask()``, that ``login_required`` came
from ``flask_login`` and that ``router.get`` is Express, not to follow values.
"""

from __future__ import annotations

from typing import Iterator

from bastion.sast import ir


def resolve_relative(module: str, level: int, current: str, is_package: bool) -> str:
    """``from ..models import User`` in ``app.views.users`` -> ``app.models``."""
    if level == 0:
        return module
    parts = current.split(".")
    keep = len(parts) - level + (1 if is_package else 0)
    package = parts[: max(keep, 0)]
    return ".".join([*package, module] if module else package)


class Scope:
    """Name -> qualified name; a function's scope sits over its module's."""

    def __init__(self, parent: "Scope | None" = None):
        self.parent = parent
        self.names: dict[str, str] = {}

    def lookup(self, name: str) -> str | None:
        scope: Scope | None = self
        while scope is not None:
            if name in scope.names:
                return scope.names[name]
            scope = scope.parent
        return None

    def bind_import(self, stmt: ir.Import | ir.ImportFrom, current: str, is_package: bool) -> None:
        if isinstance(stmt, ir.Import):
            if stmt.asname:
                self.names[stmt.asname] = stmt.module
            else:
                top = stmt.module.split(".")[0]
                self.names[top] = top
            return
        base = resolve_relative(stmt.module, stmt.level, current, is_package)
        for name, alias in stmt.names:
            if name == "*":
                continue
            self.names[alias or name] = f"{base}.{name}" if base else name

    def qual(self, expr: ir.Expr | None) -> str | None:
        """The qualified name of an expression: ``flask.request.args.get``, ``express.Router()``; None when unknown."""
        if isinstance(expr, ir.Name):
            if expr.id.startswith("require:"):  # require('m') outside a declaration (the JavaScript frontend's name for it)
                return expr.id[8:]
            return self.lookup(expr.id) or expr.id
        if isinstance(expr, ir.Attr):
            base = self.qual(expr.obj)
            return f"{base}.{expr.name}" if base else None
        if isinstance(expr, ir.Call):
            base = self.qual(expr.func)
            return f"{base}()" if base else None
        if isinstance(expr, ir.Index):
            base = self.qual(expr.obj)
            return f"{base}[]" if base else None
        if isinstance(expr, ir.Opaque) and len(expr.children) == 1:  # await x, (x)
            return self.qual(expr.children[0])
        return None


def module_scope(module: ir.Module, is_package: bool = False) -> Scope:
    """Imports and module-level assignments of simple values (``app = Flask(__name__)``)."""
    scope = Scope()
    bind_block(scope, module.body, module.name, is_package)
    return scope


def bind_block(scope: Scope, body: tuple[ir.Stmt, ...], current: str, is_package: bool = False) -> None:
    """Bind the imports and single-name assignments of a block (nested ifs and trys included, not functions)."""
    for stmt in body:
        if isinstance(stmt, (ir.Import, ir.ImportFrom)):
            scope.bind_import(stmt, current, is_package)
        elif isinstance(stmt, ir.Assign) and stmt.op is None:
            bind_assign(scope, stmt)
        elif isinstance(stmt, (ir.If, ir.Try)):
            for block in _blocks(stmt):
                bind_block(scope, block, current, is_package)


def bind_assign(scope: Scope, stmt: ir.Assign) -> None:
    qual = scope.qual(stmt.value)
    for target in stmt.targets:
        if isinstance(target, ir.Name) and qual is not None and qual != target.id:
            scope.names[target.id] = qual


def _blocks(stmt: ir.If | ir.Try) -> list[tuple[ir.Stmt, ...]]:
    if isinstance(stmt, ir.If):
        return [stmt.body, stmt.orelse]
    return [stmt.body, *(h.body for h in stmt.handlers), stmt.orelse, stmt.final]


def render(expr: ir.Expr | None) -> str:
    """Source-like dotted text of an expression, for evidence: ``db.session.query().get``."""
    if isinstance(expr, ir.Name):
        return expr.id.split("$")[0] if "$" in expr.id else expr.id
    if isinstance(expr, ir.Attr):
        return f"{render(expr.obj)}.{expr.name}"
    if isinstance(expr, ir.Call):
        return f"{render(expr.func)}()"
    if isinstance(expr, ir.Index):
        key = expr.index.value if isinstance(expr.index, ir.Const) and isinstance(expr.index.value, str) else "…"
        return f"{render(expr.obj)}[{key!r}]" if key != "…" else f"{render(expr.obj)}[…]"
    if isinstance(expr, ir.Const):
        return repr(expr.value)
    if isinstance(expr, ir.Opaque) and len(expr.children) == 1:
        return render(expr.children[0])
    return "…"


def const_str(expr: ir.Expr | None) -> str | None:
    return expr.value if isinstance(expr, ir.Const) and isinstance(expr.value, str) else None


def const_strs(expr: ir.Expr | None) -> list[str]:
    """The string items of a list/tuple literal (or a lone string)."""
    if isinstance(expr, ir.Seq):
        return [item.value for item in expr.items if isinstance(item, ir.Const) and isinstance(item.value, str)]
    single = const_str(expr)
    return [single] if single is not None else []


def subexpressions(expr: ir.Expr | None) -> Iterator[ir.Expr]:
    """``expr`` and every expression inside it, outermost first."""
    if expr is None:
        return
    stack: list[ir.Expr] = [expr]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(list(children(node))))


def children(node: ir.Expr) -> Iterator[ir.Expr]:
    if isinstance(node, (ir.Attr,)):
        yield node.obj
    elif isinstance(node, ir.Index):
        yield node.obj
        yield node.index
    elif isinstance(node, ir.Starred):
        yield node.value
    elif isinstance(node, ir.Call):
        yield node.func
        yield from node.args
        for kw in node.keywords:
            yield kw.value
    elif isinstance(node, (ir.Concat, ir.Opaque)):
        yield from node.parts if isinstance(node, ir.Concat) else node.children
    elif isinstance(node, ir.BinOp):
        yield node.left
        yield node.right
    elif isinstance(node, ir.UnaryOp):
        yield node.operand
    elif isinstance(node, ir.BoolOp):
        yield from node.values
    elif isinstance(node, ir.Compare):
        yield node.left
        yield from node.comparators
    elif isinstance(node, ir.Cond):
        yield node.test
        yield node.body
        yield node.orelse
    elif isinstance(node, ir.Seq):
        yield from node.items
    elif isinstance(node, ir.Dict):
        yield from (k for k in node.keys if k is not None)
        yield from node.values
    elif isinstance(node, ir.Comp):
        yield node.elt
        for gen in node.generators:
            yield gen.iter
            yield from gen.conds
    elif isinstance(node, ir.Lambda):
        yield node.body


def statement_exprs(stmt: ir.Stmt) -> Iterator[ir.Expr]:
    """The expressions a statement evaluates itself (not those of nested blocks)."""
    if isinstance(stmt, ir.Assign):
        yield stmt.value
        yield from stmt.targets
    elif isinstance(stmt, (ir.ExprStmt,)):
        yield stmt.expr
    elif isinstance(stmt, ir.Return) and stmt.value is not None:
        yield stmt.value
    elif isinstance(stmt, ir.Raise) and stmt.exc is not None:
        yield stmt.exc
    elif isinstance(stmt, ir.If):
        yield stmt.test
    elif isinstance(stmt, ir.Loop):
        yield stmt.iter
    elif isinstance(stmt, ir.With):
        for item, _ in stmt.items:
            yield item


def nested_blocks(stmt: ir.Stmt) -> list[tuple[ir.Stmt, ...]]:
    """Blocks inside a statement, nested function bodies included (callbacks run as part of the handler)."""
    if isinstance(stmt, (ir.If, ir.Loop)):
        return [stmt.body, stmt.orelse]
    if isinstance(stmt, ir.Try):
        return [stmt.body, *(h.body for h in stmt.handlers), stmt.orelse, stmt.final]
    if isinstance(stmt, (ir.With, ir.FunctionDef)):
        return [stmt.body]
    return []


def walk_statements(body: tuple[ir.Stmt, ...]) -> Iterator[ir.Stmt]:
    """Every statement in source order, nested blocks and nested functions included (not nested classes)."""
    for stmt in body:
        yield stmt
        for block in nested_blocks(stmt):
            yield from walk_statements(block)
