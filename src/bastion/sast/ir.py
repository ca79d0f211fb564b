"""A small, language-neutral intermediate representation for data-flow analysis.

Each language frontend (``sast/python``, ``sast/javascript``) lowers its
syntax tree into these nodes; :mod:`bastion.sast.taint` interprets them. The
IR keeps only what data flow needs: names, attribute and index access, calls
with positional and keyword arguments, string building, containers,
structured control flow (if, loop, try, with), functions, classes and
imports. Anything a frontend cannot express becomes :class:`Opaque`, which
carries the union of its children, so nothing is silently dropped.

Nodes are plain dataclasses with ``slots``, hashed and compared by value, and
never changed once built, so they are safe to share between the passes of one
file. They are not declared ``frozen``: a frozen dataclass sets each field
through ``object.__setattr__``, which made building a node about three times
slower, and lowering Django builds close to a million nodes and spans
(docs/performance.md). The same holds for the taint core's values and labels.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Union


@dataclass(slots=True, unsafe_hash=True)
class Span:
    """Source region: 1-based lines and columns, end column exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int


NOSPAN = Span(0, 0, 0, 0)


# ---------------------------------------------------------------- expressions


@dataclass(slots=True, unsafe_hash=True)
class Const:
    """A literal: str, bytes, int, float, bool or None."""

    value: Any
    span: Span = NOSPAN


@dataclass(slots=True, unsafe_hash=True)
class Name:
    id: str
    span: Span = NOSPAN


@dataclass(slots=True, unsafe_hash=True)
class Attr:
    obj: "Expr"
    name: str
    span: Span = NOSPAN


@dataclass(slots=True, unsafe_hash=True)
class Index:
    obj: "Expr"
    index: "Expr"
    span: Span = NOSPAN


@dataclass(slots=True, unsafe_hash=True)
class Keyword:
    """A keyword argument; ``name`` None is a ``**mapping`` splat."""

    name: str | None
    value: "Expr"


@dataclass(slots=True, unsafe_hash=True)
class Starred:
    """``*iterable`` in a call or a target."""

    value: "Expr"
    span: Span = NOSPAN


@dataclass(slots=True, unsafe_hash=True)
class Call:
    func: "Expr"
    args: tuple["Expr", ...] = ()
    keywords: tuple[Keyword, ...] = ()
    span: Span = NOSPAN

    def keyword(self, name: str) -> "Expr | None":
        for kw in self.keywords:
            if kw.name == name:
                return kw.value
        return None


@dataclass(slots=True, unsafe_hash=True)
class Concat:
    """String building: the parts are joined in order (template literals, f-strings, ``+`` of strings)."""

    parts: tuple["Expr", ...]
    span: Span = NOSPAN
    template: bool = False  # a deferred template (Python t-string): not a plain str


@dataclass(slots=True, unsafe_hash=True)
class BinOp:
    op: str
    left: "Expr"
    right: "Expr"
    span: Span = NOSPAN


@dataclass(slots=True, unsafe_hash=True)
class UnaryOp:
    op: str  # "not", "-", "+", "~"
    operand: "Expr"
    span: Span = NOSPAN


@dataclass(slots=True, unsafe_hash=True)
class BoolOp:
    op: str  # "and" / "or"
    values: tuple["Expr", ...]
    span: Span = NOSPAN


@dataclass(slots=True, unsafe_hash=True)
class Compare:
    """A chain ``a op1 b op2 c``; ops are "==", "!=", "<", "in", "not in", "is", "is not"..."""

    left: "Expr"
    ops: tuple[str, ...]
    comparators: tuple["Expr", ...]
    span: Span = NOSPAN


@dataclass(slots=True, unsafe_hash=True)
class Cond:
    test: "Expr"
    body: "Expr"
    orelse: "Expr"
    span: Span = NOSPAN


@dataclass(slots=True, unsafe_hash=True)
class Seq:
    """A list, tuple or set display."""

    kind: str
    items: tuple["Expr", ...]
    span: Span = NOSPAN


@dataclass(slots=True, unsafe_hash=True)
class Dict:
    keys: tuple["Expr | None", ...]  # None key: ``**splat``
    values: tuple["Expr", ...]
    span: Span = NOSPAN


@dataclass(slots=True, unsafe_hash=True)
class Generator:
    target: "Expr"
    iter: "Expr"
    conds: tuple["Expr", ...] = ()


@dataclass(slots=True, unsafe_hash=True)
class Comp:
    """A comprehension: ``elt`` evaluated with the generators' targets bound."""

    kind: str
    elt: "Expr"
    generators: tuple[Generator, ...]
    span: Span = NOSPAN


@dataclass(slots=True, unsafe_hash=True)
class Lambda:
    params: tuple["Param", ...]
    body: "Expr"
    span: Span = NOSPAN


@dataclass(slots=True, unsafe_hash=True)
class Opaque:
    """Something the frontend does not model: its value is the union of its children."""

    children: tuple["Expr", ...] = ()
    span: Span = NOSPAN


Expr = Union[Const, Name, Attr, Index, Starred, Call, Concat, BinOp, UnaryOp, BoolOp, Compare, Cond, Seq, Dict, Comp, Lambda, Opaque]


# ----------------------------------------------------------------- statements


@dataclass(slots=True, unsafe_hash=True)
class Param:
    name: str
    annotation: Expr | None = None
    default: Expr | None = None
    kind: str = "normal"  # "normal", "star" (*args), "kwstar" (**kwargs), "kwonly"
    span: Span = NOSPAN


@dataclass(slots=True, unsafe_hash=True)
class Assign:
    targets: tuple[Expr, ...]
    value: Expr
    span: Span = NOSPAN
    op: str | None = None  # augmented assignment operator ("+", ...), None for "="
    annotation: Expr | None = None


@dataclass(slots=True, unsafe_hash=True)
class ExprStmt:
    expr: Expr
    span: Span = NOSPAN


@dataclass(slots=True, unsafe_hash=True)
class Return:
    value: Expr | None
    span: Span = NOSPAN


@dataclass(slots=True, unsafe_hash=True)
class Raise:
    exc: Expr | None
    span: Span = NOSPAN


@dataclass(slots=True, unsafe_hash=True)
class Jump:
    """``break`` or ``continue``: ends the path through the loop body."""

    kind: str
    span: Span = NOSPAN


@dataclass(slots=True, unsafe_hash=True)
class If:
    test: Expr
    body: tuple["Stmt", ...]
    orelse: tuple["Stmt", ...] = ()
    span: Span = NOSPAN


@dataclass(slots=True, unsafe_hash=True)
class Loop:
    """``for target in iter`` (target set) or ``while iter`` (target None)."""

    target: Expr | None
    iter: Expr
    body: tuple["Stmt", ...]
    orelse: tuple["Stmt", ...] = ()
    span: Span = NOSPAN


@dataclass(slots=True, unsafe_hash=True)
class Handler:
    type: Expr | None
    name: str | None
    body: tuple["Stmt", ...]
    span: Span = NOSPAN


@dataclass(slots=True, unsafe_hash=True)
class Try:
    body: tuple["Stmt", ...]
    handlers: tuple[Handler, ...] = ()
    orelse: tuple["Stmt", ...] = ()
    final: tuple["Stmt", ...] = ()
    span: Span = NOSPAN


@dataclass(slots=True, unsafe_hash=True)
class With:
    items: tuple[tuple[Expr, Expr | None], ...]
    body: tuple["Stmt", ...]
    span: Span = NOSPAN


@dataclass(slots=True, unsafe_hash=True)
class FunctionDef:
    name: str
    params: tuple[Param, ...]
    body: tuple["Stmt", ...]
    decorators: tuple[Expr, ...] = ()
    returns: Expr | None = None
    span: Span = NOSPAN
    is_async: bool = False


@dataclass(slots=True, unsafe_hash=True)
class ClassDef:
    name: str
    bases: tuple[Expr, ...]
    body: tuple["Stmt", ...]
    decorators: tuple[Expr, ...] = ()
    span: Span = NOSPAN


@dataclass(slots=True, unsafe_hash=True)
class Import:
    """``import module [as asname]``: binds asname, or the top package when there is none."""

    module: str
    asname: str | None = None
    span: Span = NOSPAN


@dataclass(slots=True, unsafe_hash=True)
class ImportFrom:
    """``from module import name [as asname]``; ``level`` counts leading dots of a relative import."""

    module: str
    names: tuple[tuple[str, str | None], ...]
    level: int = 0
    span: Span = NOSPAN


Stmt = Union[Assign, ExprStmt, Return, Raise, Jump, If, Loop, Try, With, FunctionDef, ClassDef, Import, ImportFrom]


@dataclass(slots=True)
class Module:
    """One lowered file: its qualified name (``pkg.mod``), its statements and any lowering problems."""

    name: str
    body: tuple[Stmt, ...]
    problems: list[str] = field(default_factory=list)


def bindings(body: tuple[Stmt, ...], name: str) -> list[Assign | None]:
    """Every statement of a block (nested blocks, not nested functions or classes) that binds ``name``: the
    plain assignment, or None where it is bound some other way (augmented, a tuple, a loop target, ``with ...
    as``, ``except ... as``, an import)."""
    found: list[Assign | None] = []
    for stmt in body:
        if isinstance(stmt, Assign):
            if any(isinstance(t, Name) and t.id == name for t in stmt.targets):
                found.append(stmt if stmt.op is None and len(stmt.targets) == 1 else None)
            elif any(name in _bound_names(t) for t in stmt.targets):
                found.append(None)
        elif isinstance(stmt, If):
            found += bindings(stmt.body, name) + bindings(stmt.orelse, name)
        elif isinstance(stmt, Loop):
            if stmt.target is not None and name in _bound_names(stmt.target):
                found.append(None)
            found += bindings(stmt.body, name) + bindings(stmt.orelse, name)
        elif isinstance(stmt, Try):
            found += bindings(stmt.body, name) + bindings(stmt.orelse, name) + bindings(stmt.final, name)
            for handler in stmt.handlers:
                found += [None] if handler.name == name else []
                found += bindings(handler.body, name)
        elif isinstance(stmt, With):
            found += [None] if any(t is not None and name in _bound_names(t) for _, t in stmt.items) else []
            found += bindings(stmt.body, name)
        elif isinstance(stmt, (FunctionDef, ClassDef)) and stmt.name == name:
            found.append(None)
        elif isinstance(stmt, Import) and (stmt.asname or stmt.module.split(".")[0]) == name:
            found.append(None)
        elif isinstance(stmt, ImportFrom) and any((alias or imported) == name for imported, alias in stmt.names):
            found.append(None)
    return found


def only_assignment(body: tuple[Stmt, ...], name: str) -> Expr | None:
    """The value of the one plain assignment that binds ``name`` in a block, None when there are others or none."""
    found = bindings(body, name)
    return found[0].value if len(found) == 1 and found[0] is not None else None


def _bound_names(target: Expr) -> set[str]:
    if isinstance(target, Name):
        return {target.id}
    if isinstance(target, Seq):
        return {n for item in target.items for n in _bound_names(item)}
    if isinstance(target, Starred):
        return _bound_names(target.value)
    return set()
