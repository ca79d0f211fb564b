"""What the shape of a URL expression proves, shared by the Python and JavaScript checks.

A URL whose scheme and host are constant (``https://api.example.com/v1/items?q=${q}``,
``f"https://api.example.com/{path}"``) or that is a same-site path (``/x/${id}``) cannot send the request
or the browser to a host the client chose: at most the client picks a path or a query value on a host the
code names (parameter injection), never server-side request forgery or an open redirect.
"""

from __future__ import annotations

from typing import Callable

from bastion.sast import ir
from bastion.sast.language_facts import LanguageFacts
from bastion.sast.taint import Analyzer

NO_FACTS = LanguageFacts()


#: What a name or attribute at the start of a URL holds when the program fixed it (a module or class constant).
Constant = Callable[[ir.Expr], str | None]


def _text(expr: ir.Expr | None, constant: Constant | None) -> str | None:
    if isinstance(expr, ir.Const) and isinstance(expr.value, str):
        return expr.value
    if constant is not None and isinstance(expr, (ir.Name, ir.Attr)):
        return constant(expr)
    return None


def _leading_parts(expr: ir.Expr | None, facts: LanguageFacts) -> list[ir.Expr | None]:
    """The parts a built string is assembled from, in order (template literal, f-string, ``+``); for a format
    operator (``"..." % x``) the format text up to its first placeholder."""
    if isinstance(expr, ir.Concat):
        return [p for part in expr.parts for p in _leading_parts(part, facts)]
    if isinstance(expr, ir.BinOp):
        if expr.op == "+":
            return _leading_parts(expr.left, facts) + _leading_parts(expr.right, facts)
        if expr.op == facts.text_format_operator and isinstance(expr.left, ir.Const) and isinstance(expr.left.value, str):
            return [ir.Const(expr.left.value.split("%", 1)[0]), None]
        return [None]
    return [expr]


def fixed_prefix(expr: ir.Expr | None, constant: Constant | None = None, facts: LanguageFacts = NO_FACTS) -> str | None:
    """The constant text a built string starts with (template literal, f-string, ``+``, ``"..." % x``), else None.

    ``constant`` resolves names (``BASE_URL + "/v1/" + path``, ``f"{Api.ROOT}/{q}"``) to the text the program fixed."""
    texts = []
    for part in _leading_parts(expr, facts):
        text = _text(part, constant)
        if text is None:
            break
        texts.append(text)
    return "".join(texts) if texts else None


def fixed_origin(expr: ir.Expr | None, constant: Constant | None = None, facts: LanguageFacts = NO_FACTS) -> bool:
    """A URL whose scheme and host are constant, or a same-site path (``facts``: the language's URL constructors
    and format operator)."""
    if isinstance(expr, ir.Call) and isinstance(expr.func, ir.Name) and expr.func.id in facts.url_constructors and expr.args:
        return fixed_origin(expr.args[0], constant, facts)  # new URL('/login', request.url): the base only lends its origin
    prefix = fixed_prefix(expr, constant, facts)
    if prefix is None:
        return False
    if prefix.startswith("/"):  # same-site path: "/" alone lets the rest start a second slash ("//evil.example")
        return len(prefix) > 1 and prefix[1] not in "/\\"
    scheme, sep, rest = prefix.partition("://")
    return bool(sep) and scheme.isalpha() and "/" in rest and rest.index("/") > 0


def defining_expr(function: ir.FunctionDef | None, expr: ir.Expr | None) -> ir.Expr | None:
    """A local variable's only definition: ``url = f"https://api.example.com/{q}"; get(url)`` judges the f-string.
    Anything else (a parameter, two assignments, a loop variable) is returned as it is."""
    if function is None or not isinstance(expr, ir.Name) or any(p.name == expr.id for p in function.params):
        return expr
    return ir.only_assignment(function.body, expr.id) or expr


def bound_locally(function: ir.FunctionDef | None, name: str) -> bool:
    """Whether a function binds ``name`` itself (a parameter or any assignment): then it is not the module's."""
    return function is not None and (any(p.name == name for p in function.params) or bool(ir.bindings(function.body, name)))


def program_constant(analyzer: Analyzer) -> Constant:
    """Resolves a module or class constant the walked function does not rebind (``BASE_URL``, ``Api.ROOT``)."""
    fn = analyzer.current_function
    node = fn.node if fn is not None else None

    def constant(expr: ir.Expr) -> str | None:
        root = expr
        while isinstance(root, ir.Attr):
            root = root.obj
        if not isinstance(root, ir.Name) or bound_locally(node, root.id):
            return None
        value = analyzer.peek(expr, {})  # no local variables: only what the module and its classes fix
        return value.const if isinstance(value.const, str) else None

    return constant


def fixed_target(analyzer: Analyzer, expr: ir.Expr | None) -> bool:
    """A request or redirect target of the walked function whose scheme and host (or same-site path) the program
    fixed: written in the call, in the local variable's only assignment, or in a constant it starts with."""
    fn = analyzer.current_function
    return fixed_origin(defining_expr(fn.node if fn is not None else None, expr), program_constant(analyzer), analyzer.hooks.facts)
