"""Where a URL handed to a client or a redirect can point, followed into the helper that built it.

:func:`bastion.sast.url_shapes.fixed_target` judges the expression at the call (a literal, the local
variable's only assignment, a constant it starts with). Code as often builds the URL in a small helper of the
same file (``def store_url(): return KOBO_STOREAPI_URL + "/" + path`` then ``requests.get(store_url())``):
when every ``return`` of that helper fixes the scheme and host, so does the call.
"""

from __future__ import annotations

from bastion.sast import ir
from bastion.sast.python.semantics import statements
from bastion.sast.taint import Analyzer, FunctionInfo
from bastion.sast.url_shapes import defining_expr, fixed_origin, fixed_target, program_constant


def fixed_url(analyzer: Analyzer, expr: ir.Expr | None) -> bool:
    """A target whose scheme and host the program fixes, at the call or in every return of the helper it calls."""
    if fixed_target(analyzer, expr):
        return True
    fn = analyzer.current_function
    call = defining_expr(fn.node if fn is not None else None, expr)
    if not isinstance(call, ir.Call):
        return False
    helper = _helper(analyzer, call)
    if helper is None or helper.origin is not None:
        return False  # unknown, or another module's (known by its summary only)
    returns = [s.value for s in statements(helper.node.body) if isinstance(s, ir.Return)]
    constant = program_constant(analyzer)
    return any(not _nowhere(v) for v in returns) and all(
        _nowhere(v) or fixed_origin(defining_expr(helper.node, v), constant) for v in returns)


def _helper(analyzer: Analyzer, call: ir.Call) -> FunctionInfo | None:
    """The function of this file a call names: ``build_url()``, or ``self.build_url()`` in a method of its class."""
    fn, func = analyzer.current_function, call.func
    if (fn is not None and fn.cls is not None and fn.node.params and isinstance(func, ir.Attr)
            and isinstance(func.obj, ir.Name) and func.obj.id == fn.node.params[0].name):
        return analyzer.functions.get(f"{fn.cls}.{func.name}")
    return analyzer.functions.get(analyzer.peek(func, {}).qual or "")


def _nowhere(value: ir.Expr | None) -> bool:
    """An empty URL (``return ""`` when there is nothing to search): it names no host at all."""
    return isinstance(value, ir.Const) and value.value in ("", None)
