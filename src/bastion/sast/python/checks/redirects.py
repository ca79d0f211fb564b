"""Open redirects, judged by who controls where the browser goes.

A redirect to a target the request chooses (``redirect(request.args["next"])``) or whose host it chooses is an
open redirect. A target whose scheme and host the code fixes (``"https://store.example.com/" + path``), or a
same-site path (``f"/books/{book_id}"``), sends the browser nowhere the site did not pick: the client only
chooses a path or a query value. Written in the call, in the local variable's only assignment, or in a module
or class constant the target starts with. A target that starts with a URL the framework builds for one of the
site's own views (``reverse("helpdesk:list") + "?" + query``, ``url_for("login", next=request.url)``), with
the path the request was routed on (``"%s?%s" % (request.path, request.GET.urlencode())``) or with a URL the
operator configured (``settings.LOGIN_URL + "?next=" + request.path``) is a same-site
path too: the request's data can only follow it. Implemented in code (not as model sinks) because the decision needs
the target's expression; other targets go through ``Analyzer.sink``, so a parameter reaching a redirect makes
each caller's untrusted argument a finding.
"""

from __future__ import annotations

from dataclasses import replace

from bastion.sast import ir
from bastion.sast.python.checks import on_call
from bastion.sast.taint import IN_ARGUMENT_OBJECT, Analyzer, CallEvent, Value
from bastion.sast.python.checks.url_targets import fixed_url

#: redirect call -> (position of its target, keyword of its target)
_REDIRECTS = {
    "flask.redirect": (0, "location"),
    "werkzeug.utils.redirect": (0, "location"),
    "django.shortcuts.redirect": (0, "to"),
    "django.http.HttpResponseRedirect": (0, "redirect_to"),
    "django.http.HttpResponsePermanentRedirect": (0, "redirect_to"),
    "fastapi.responses.RedirectResponse": (0, "url"),
    "starlette.responses.RedirectResponse": (0, "url"),
}

#: Functions that build the URL of one of the site's own views.
_SITE_URLS = frozenset({"django.urls.reverse", "django.urls.reverse_lazy", "django.shortcuts.resolve_url",
                        "django.urls.base.reverse", "flask.url_for", "flask.helpers.url_for"})
#: Attributes (and methods) of a request naming the path it was routed on.
_ROUTED_PATH = frozenset({"path", "path_info", "full_path", "get_full_path"})
_FORMAT_FIRST = ("%s", "{}", "{0}")


def _first_part(expr: ir.Expr) -> ir.Expr:
    """The expression a built string starts with: ``a + b``, an f-string, ``"%s?%s" % (a, b)``, ``"{}?x={}".format(a, b)``."""
    while True:
        if isinstance(expr, ir.Concat) and expr.parts:
            expr = expr.parts[0]
        elif isinstance(expr, ir.BinOp) and expr.op == "+":
            expr = expr.left
        elif (isinstance(expr, ir.BinOp) and expr.op == "%" and isinstance(expr.left, ir.Const)
              and isinstance(expr.left.value, str) and expr.left.value.startswith("%s")):
            expr = expr.right.items[0] if isinstance(expr.right, ir.Seq) and expr.right.items else expr.right
        elif (isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr) and expr.func.name == "format" and expr.args
              and isinstance(expr.func.obj, ir.Const) and isinstance(expr.func.obj.value, str)
              and expr.func.obj.value.startswith(_FORMAT_FIRST[1:])):
            expr = expr.args[0]
        else:
            return expr


def _routed_path(expr: ir.Expr) -> bool:
    """``request.path``, ``request.get_full_path()``, and text methods on them (``request.path.replace(a, b, 1)``)."""
    while isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr) and expr.func.name not in _ROUTED_PATH:
        expr = expr.func.obj
    if isinstance(expr, ir.Call):
        expr = expr.func
    return (isinstance(expr, ir.Attr) and expr.name in _ROUTED_PATH and isinstance(expr.obj, ir.Name)
            and expr.obj.id in ("request", "req"))


def _same_site(analyzer: Analyzer, expr: ir.Expr, depth: int = 0) -> bool:
    """Whether a target starts with a URL of the site's own views or the request's routed path, followed through
    the local variable's assignments (each must start so, or extend the variable itself: ``url = url + "?" + q``)."""
    first = _first_part(expr)
    if isinstance(first, ir.Call) and analyzer.peek(first.func, {}).qual in _SITE_URLS:
        return True
    if _routed_path(first) or _configured(analyzer, first):
        return True
    fn = analyzer.current_function
    if not isinstance(first, ir.Name) or fn is None or depth > 2 or any(p.name == first.id for p in fn.node.params):
        return False
    assigned = ir.bindings(fn.node.body, first.id)
    return bool(assigned) and all(a is not None and (_extends(a.value, first.id) or _same_site(analyzer, a.value, depth + 1))
                                  for a in assigned)


#: Where a framework keeps the operator's settings (``settings.LOGIN_URL``, ``current_app.config["LOGIN_URL"]``).
_SETTINGS = ("django.conf.settings.", "flask.current_app.config")


def _configured(analyzer: Analyzer, expr: ir.Expr) -> bool:
    """A target starting with a URL the operator configured (``settings.LOGIN_URL + "?next=" + request.path``):
    the deployment chose the host; the request's data only follows it."""
    if isinstance(expr, ir.Index):
        expr = expr.obj
    return (analyzer.peek(expr, {}).qual or "").startswith(_SETTINGS)


def _extends(expr: ir.Expr, name: str) -> bool:
    first = _first_part(expr)
    return isinstance(first, ir.Name) and first.id == name


@on_call(*_REDIRECTS)
def redirect_target(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    position, keyword = _REDIRECTS[event.qual]
    target = event.arg(position, keyword)
    if target is None:
        return
    expr = event.node.args[position] if len(event.node.args) > position else event.node.keyword(keyword)
    if expr is not None and not fixed_url(analyzer, expr) and not _same_site(analyzer, expr):
        analyzer.sink("open-redirect", _built_by_api(target), event.node.span, "redirect target")


def _built_by_api(target: Value) -> Value:
    """A URL a library built from an object of options or query values (``oauth.auth_url(redirect_uri=...,
    extras_params={"screen": screen})``) is the library's: the request's data only reached it inside that
    object, where it is a parameter, not the URL (the core flags those labels ``in-argument-object``)."""
    kept = frozenset(l for l in target.labels if IN_ARGUMENT_OBJECT not in l.flags)
    return target if kept == target.labels else replace(target, labels=kept)
