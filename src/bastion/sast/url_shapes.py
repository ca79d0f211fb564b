"""What the shape of a URL expression proves, shared by the Python and JavaScript checks.

A URL whose scheme and host are constant (``https://api.example.com/v1/items?q=${q}``,
``f"https://api.example.com/{path}"``) or that is a same-site path (``/x/${id}``) cannot send the request
or the browser to a host the client chose: at most the client picks a path or a query value on a host the
code names (parameter injection), never server-side request forgery or an open redirect.
"""

from __future__ import annotations

from bastion.sast import ir


def fixed_prefix(expr: ir.Expr | None) -> str | None:
    """The constant text a built string starts with (template literal, f-string, ``+``, ``"..." % x``), else None."""
    while isinstance(expr, (ir.Concat, ir.BinOp)):
        if isinstance(expr, ir.Concat):
            first = expr.parts[0] if expr.parts else None
            if isinstance(first, ir.Const) and isinstance(first.value, str):
                return first.value
            expr = first
        else:
            if expr.op not in ("+", "%"):
                return None
            if expr.op == "%" and isinstance(expr.left, ir.Const) and isinstance(expr.left.value, str):
                return expr.left.value.split("%", 1)[0]
            expr = expr.left
    if isinstance(expr, ir.Const) and isinstance(expr.value, str):
        return expr.value
    return None


def fixed_origin(expr: ir.Expr | None) -> bool:
    """A URL whose scheme and host are constant, or a same-site path."""
    if isinstance(expr, ir.Call) and isinstance(expr.func, ir.Name) and expr.func.id == "URL" and expr.args:
        return fixed_origin(expr.args[0])  # new URL('/login', request.url): the base only lends its origin
    prefix = fixed_prefix(expr)
    if prefix is None:
        return False
    if prefix.startswith("/") and not prefix.startswith("//") and not prefix.startswith("/\\"):
        return True
    scheme, sep, rest = prefix.partition("://")
    return bool(sep) and scheme.isalpha() and "/" in rest and rest.index("/") > 0
