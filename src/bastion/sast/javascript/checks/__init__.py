"""JavaScript-only checks: sinks whose danger depends on the shape of the arguments.

Each module registers handlers with :func:`on` for an event key:
``call:<qualified name>``, ``method:<name>``, ``call`` (every call),
``compare``, ``store``, ``assign``, ``return``, ``function``, ``finish`` (the file's walk is over). The hooks in
:mod:`bastion.sast.javascript.semantics` dispatch to them during the taint
core's reporting walk. Option objects are read from the IR (``{ limits: ... }``
literals, or the literal a local name was last bound to).
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from typing import Any, Callable, Iterator

from bastion.sast import ir, url_shapes
from bastion.sast.javascript.semantics import JAVASCRIPT_FACTS

HANDLERS: dict[str, list[Callable[..., None]]] = {}


def on(*keys: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    def register(fn: Callable[..., None]) -> Callable[..., None]:
        for key in keys:
            HANDLERS.setdefault(key, []).append(fn)
        return fn

    return register


def load() -> dict[str, list[Callable[..., None]]]:
    from bastion.sast.javascript.checks import (  # noqa: F401 - registration
        credentials, crypto, debug, files, hardening, keys_tls, logged_secrets, misc, outbound, parity, queries, records, routes_auth, web,
    )

    return HANDLERS


def options(hooks: Any, expr: ir.Expr | None) -> ir.Dict | None:
    """The object literal an argument is, or the one its local name was bound to."""
    if isinstance(expr, ir.Dict):
        return expr
    if isinstance(expr, ir.Name):
        return hooks.dicts.get(expr.id)
    return None


_MISSING = object()


def get(obj: ir.Dict | None, key: str, default: Any = _MISSING) -> Any:
    """The value expression stored under a constant ``key``; ``default`` when absent (None if not given)."""
    if obj is not None:
        for k, v in zip(obj.keys, obj.values):
            if isinstance(k, ir.Const) and k.value == key:
                return v
    return None if default is _MISSING else default


def has_spread(obj: ir.Dict) -> bool:
    return any(k is None for k in obj.keys)


def const(expr: Any) -> Any:
    """A literal's value, else None."""
    return expr.value if isinstance(expr, ir.Const) else None


def is_false(expr: Any) -> bool:
    return isinstance(expr, ir.Const) and expr.value in (False, 0, "false", "0")


def is_true(expr: Any) -> bool:
    return isinstance(expr, ir.Const) and expr.value in (True, "true", 1)


_REQUEST_ROOTS = frozenset({"req", "request", "ctx", "context", "location", "document", "window"})


def string_parts(expr: ir.Expr) -> list[ir.Expr]:
    """The parts a string is built from, in order (template literal, ``+``)."""
    if isinstance(expr, ir.Concat):
        return [p for part in expr.parts for p in string_parts(part)]
    if isinstance(expr, ir.BinOp) and expr.op == "+":
        return string_parts(expr.left) + string_parts(expr.right)
    return [expr]


def fixed_origin(expr: ir.Expr | None) -> bool:
    """A URL whose scheme and host are constant, or a same-site path, by JavaScript's rules (``new URL(p, base)``)."""
    return url_shapes.fixed_origin(expr, facts=JAVASCRIPT_FACTS)


def _root(expr: ir.Expr) -> str | None:
    while isinstance(expr, (ir.Attr, ir.Index, ir.Call)):
        expr = expr.func if isinstance(expr, ir.Call) else expr.obj
    return expr.id if isinstance(expr, ir.Name) else None


def fixed_path(expr: ir.Expr | None) -> bool:
    """``config.base + '/user/' + slug``: a constant path segment after a prefix that is not request data.

    The prefix (a configured mount point) is judged syntactically: not rooted at a request or DOM object.
    """
    if expr is None:
        return False
    if fixed_origin(expr):
        return True
    parts = string_parts(expr)
    for index, part in enumerate(parts[1:], start=1):
        if isinstance(part, ir.Const) and isinstance(part.value, str) and len(part.value) > 1 and part.value[0] == "/" and part.value[1] not in "/\\":
            return all(isinstance(p, ir.Const) or (_root(p) not in _REQUEST_ROOTS and _root(p) is not None and isinstance(p, ir.Call)) for p in parts[:index])
    return False


def nodes(root: Any) -> Iterator[Any]:
    """Every IR node under ``root`` (statements, expressions, nested functions), in no particular order."""
    stack: list[Any] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, (list, tuple)):
            stack.extend(node)
        elif is_dataclass(node) and not isinstance(node, ir.Span):
            yield node
            stack.extend(getattr(node, f.name) for f in fields(node))
