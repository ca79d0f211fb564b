"""Framework entry points: which function parameters carry attacker data, with each framework's real semantics.

- Flask/Quart routes (``@app.route``, ``@bp.get``...): URL parameters are
  untrusted unless a converter types them (``<int:id>``).
- FastAPI/Starlette routes: typed path/query/body/header/cookie parameters
  are untrusted; ``int``/``float``/``bool``/``UUID``/dates are validated by
  the framework and so clean; ``Depends(...)`` parameters and
  ``BackgroundTasks``/``Response`` are not input; ``Request`` is the request.
- Django views (functions taking ``request`` first, methods of class-based
  views): ``request`` is the request, the other parameters are URL kwargs.
  A Django or DRF class-based view (:func:`view_class`) holds the request in
  ``self.request`` and the URL's captures in ``self.kwargs`` in every method.
- Views registered by a call rather than a decorator, in the same file or
  another (``app.add_url_rule('/u/<name>', view_func=views.show)``,
  ``bp.add_url_rule``, Django's ``path('u/<slug:name>/', views.show)`` in
  urls.py): the registering call gives the view its route; across files the
  registering module's summary lists it (``callbacks``) and the view's own
  analysis reads it back (:func:`registered_views`).
- Elsewhere a parameter called ``request``/``req`` without a telling
  annotation is treated as a web request too (helpers that receive it).
- Django template filters and simple tags (``@register.filter``): their
  arguments are what templates display (source kind ``template``, reported
  where the function marks HTML safe).
- click and typer commands, Django management commands' ``handle``: every
  option and argument is command-line input
  (source kind ``local``: below request data, see models/python/trust.toml).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

from bastion.sast import ir
from bastion.sast.taint import ALL, Analyzer, CallEvent, FunctionInfo, Label, Step, Value

REQUEST = "web.Request()"
ROUTE_DECORATORS = frozenset({"route", "get", "post", "put", "delete", "patch", "api_route", "websocket", "head", "options"})
STATE_CHANGING = frozenset({"POST", "PUT", "DELETE", "PATCH"})
_SAFE_TYPES = frozenset({"int", "float", "bool", "UUID", "uuid.UUID", "date", "datetime", "time", "timedelta", "Decimal", "PositiveInt", "conint", "confloat", "EmailStr", "IPvAnyAddress", "HttpUrl"})
_NOT_INPUT = frozenset({"BackgroundTasks", "Response", "Session", "AsyncSession", "WebSocket", "SecurityScopes", "HTTPAuthorizationCredentials"})
_REQUEST_TYPES = frozenset({"Request", "HttpRequest", "WSGIRequest", "ASGIRequest", "HTTPConnection"})
#: Converters whose value the framework has already parsed into a number or a UUID (Flask's and Django's).
_CONVERTED = frozenset({"int", "float", "uuid"})
#: Django's URL pattern functions: the route text is argument 0 (``route``), the view argument 1 (``view``).
_DJANGO_PATTERNS = frozenset({"django.urls.path", "django.urls.re_path", "django.conf.urls.url"})
_NAMED_GROUP = re.compile(r"\(\?P<(\w+)>")
_VIEW_METHODS = frozenset({"get", "post", "put", "patch", "delete", "dispatch", "head", "form_valid", "create", "update", "partial_update", "destroy", "list", "retrieve", "perform_create", "perform_update"})


@dataclass(frozen=True)
class Route:
    """A function the framework calls for HTTP requests."""

    framework: str  # "flask", "fastapi", "django"
    methods: frozenset[str]
    path: str | None
    decorator: ir.Call | None


def _annotation_name(expr: ir.Expr | None) -> str | None:
    if expr is None:
        return None
    if isinstance(expr, ir.Name):
        return expr.id
    if isinstance(expr, ir.Attr):
        return expr.name
    if isinstance(expr, ir.Index):  # Annotated[str, Query()], Optional[int]
        head = _annotation_name(expr.obj)
        inner = expr.index.items[0] if isinstance(expr.index, ir.Seq) and expr.index.items else expr.index
        if head in ("Annotated", "Optional", "Required"):
            return _annotation_name(inner)
        return head
    if isinstance(expr, ir.Const) and isinstance(expr.value, str):
        return expr.value.split("[")[0].split(".")[-1]
    return None


def _framework(analyzer: Analyzer, qual: str | None) -> str:
    text = qual or ""
    for name in ("fastapi", "starlette", "flask", "quart", "django", "sanic"):
        if text.startswith(name):
            return "fastapi" if name == "starlette" else name
    roots = {m.split(".")[0] for m in analyzer.imports}
    for name in ("fastapi", "flask", "quart", "django", "sanic"):
        if name in roots:
            return name
    return "flask"


def route_of(analyzer: Analyzer, fn: FunctionInfo) -> Route | None:
    """The route a function serves, or None when it is not an HTTP entry point."""
    for expr, value in zip(fn.node.decorators, fn.decorators):
        if not isinstance(expr, ir.Call) or not isinstance(expr.func, ir.Attr) or expr.func.name not in ROUTE_DECORATORS:
            continue
        name = expr.func.name
        framework = _framework(analyzer, value.qual)
        path = expr.args[0].value if expr.args and isinstance(expr.args[0], ir.Const) and isinstance(expr.args[0].value, str) else None
        if name in ("route", "api_route"):
            methods_expr = expr.keyword("methods")
            methods = {"GET"}
            if isinstance(methods_expr, ir.Seq):
                methods = {m.value.upper() for m in methods_expr.items if isinstance(m, ir.Const) and isinstance(m.value, str)}
        else:
            methods = {name.upper()}
        return Route(framework, frozenset(methods), path, expr)
    params = fn.node.params
    if fn.cls is None and params and params[0].name in ("request", "req") and "django" in {m.split(".")[0] for m in analyzer.imports}:
        return Route("django", frozenset({"GET", "POST"}), None, None)
    if fn.cls is not None and fn.name in _HTTP_HANDLERS and len(params) > 1 and view_class(analyzer, fn.cls):
        return Route("django", frozenset({fn.name.upper()} if fn.name != "dispatch" else {"GET", "POST"}), None, None)
    if fn.cls is not None and fn.name in _VIEW_METHODS and len(params) > 1 and params[1].name == "request":
        methods = {fn.name.upper()} if fn.name.upper() in STATE_CHANGING | {"GET", "HEAD"} else {"POST"}
        return Route("django", frozenset(methods), None, None)
    return None


#: Where Django's and Django REST framework's class-based views come from: ``View``, ``TemplateView``,
#: ``FormView``, the generic editing and list views, ``APIView``, the generic API views and view sets.
_VIEW_ROOTS = ("django.views.", "django.contrib.auth.views.", "rest_framework.views.", "rest_framework.generics.",
               "rest_framework.viewsets.")
#: The methods ``View.dispatch`` calls with the request (and the URL's captures as keyword arguments).
_HTTP_HANDLERS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "dispatch"})


def view_class(analyzer: Analyzer, cls: str) -> bool:
    """Whether ``cls`` is a Django or DRF class-based view: one of its ancestors, in this module or another,
    comes from the framework's view modules, or this module routes it with ``cls.as_view()``."""
    for ancestor in analyzer.lineage(cls):
        if ancestor.startswith(_VIEW_ROOTS):
            return True
    return f"{cls.rsplit('.', 1)[-1]}.as_view(" in analyzer.hooks.file.text


def view_fields(analyzer: Analyzer, fn: FunctionInfo) -> None:
    """``self.request``, ``self.kwargs`` and ``self.args`` of a class-based view: ``View.setup()`` stores the
    request and the URL's captures on the instance before any method runs (``form_valid``,
    ``get_success_url``, ``get_queryset`` read them there)."""
    if fn.cls is None or not view_class(analyzer, fn.cls):
        return
    fields = analyzer.fields.setdefault(fn.cls + "()", {})
    fields.setdefault("request", Value(qual=REQUEST))
    for name in ("kwargs", "args"):
        if name not in fields:
            note = f"URL captures (self.{name})"
            fields[name] = Value(labels=frozenset({Label("remote", note, (Step(fn.node.span, f"untrusted {note}"),))}))


_URL_KWARGS = ("id", "pk", "slug", "name", "path", "url", "filename", "username", "page", "query", "token", "code", "lang", "category", "tag", "uuid", "key", "year", "month", "day")


def _url_kwarg(name: str) -> bool:
    """Names Django URL patterns capture (``<slug:slug>``, ``<int:pk>``, ``object_id``...)."""
    lowered = name.lower()
    return lowered in ("q", "kwargs", "args") or lowered.endswith(_URL_KWARGS)


def _generic_request(analyzer: Analyzer, route: Route | None) -> bool:
    """An untyped ``request`` is a web request in web code, and in code that builds no requests of its own.

    Clients (botocore, requests, urllib) call their outgoing request objects
    ``request`` too; there it is the library's own data, not attacker input.
    """
    roots = {m.split(".")[0] for m in analyzer.imports}
    if route is not None or roots & _WEB_FRAMEWORKS:
        return True
    return not any(m.startswith(_HTTP_CLIENTS) for m in analyzer.imports)


_HTTP_CLIENTS = ("urllib.request", "requests", "httpx", "urllib3", "botocore", "aiohttp.client", "http.client")
_WEB_FRAMEWORKS = frozenset({"flask", "django", "fastapi", "starlette", "quart", "sanic", "werkzeug", "tornado", "pyramid", "bottle", "falcon", "aiohttp"})


def _untrusted(param: ir.Param, note: str, qual: str | None = None) -> Value:
    return Value(qual=qual, labels=frozenset({Label("remote", note, (Step(param.span, f"untrusted {note}"),))}))


def _path_converters(path: str | None) -> dict[str, str]:
    """Flask's and Django's ``<int:id>`` -> {"id": "int"}; a regex route's named group ``(?P<slug>...)`` is text."""
    out: dict[str, str] = {}
    if not path:
        return out
    for name in _NAMED_GROUP.findall(path):
        out[name] = "string"
    for chunk in path.split("<")[1:]:
        inside = chunk.split(">", 1)[0]
        if ":" in inside:
            conv, _, name = inside.partition(":")
            out[name.strip()] = conv.split("(")[0].strip()
        else:
            out[inside.strip()] = "string"
    return out


_DJANGO_COMMANDS = ("BaseCommand", "AppCommand", "LabelCommand")


def cli_framework(analyzer: Analyzer, fn: FunctionInfo) -> str | None:
    """"click", "typer" or "django" when ``fn`` is a command a library calls with the command line's options."""
    if fn.cls is not None and fn.name == "handle" and any(base.endswith(_DJANGO_COMMANDS) for base in analyzer.classes.get(fn.cls, ())):
        return "django"  # a management command's handle(*args, **options)
    roots = {m.split(".")[0] for m in analyzer.imports} & {"click", "typer"}
    for value in fn.decorators:
        qual = value.qual or ""
        if qual.startswith(("click.", "typer.")):
            return qual.split(".")[0]
        if roots and qual.endswith((".command()", ".group()", ".callback()")):
            return sorted(roots)[0]
    return None


def _cli_seeds(fn: FunctionInfo, framework: str) -> dict[str, Value]:
    """Every option and argument of a click/typer command is command-line input; typed numbers are converted by the library."""
    seeds: dict[str, Value] = {}
    for param in fn.node.params:
        if _annotation_name(param.annotation) in _SAFE_TYPES:
            seeds[param.name] = Value(cleared=ALL)
        else:
            note = f"command-line option '{param.name}' ({framework})"
            seeds[param.name] = Value(labels=frozenset({Label("local", note, (Step(param.span, f"untrusted data from {note}"),))}))
    return seeds


def registered_view(event: CallEvent) -> tuple[str, Route] | None:
    """The view a registering call names and the route it gives it: ``app.add_url_rule(rule, endpoint, view_func,
    methods=[...])`` (Flask and Quart apps and blueprints), Django's ``path(route, view)`` / ``re_path``."""
    if event.method == "add_url_rule":
        view, rule, framework = event.arg(2, "view_func"), event.arg(0, "rule"), "flask"
        listed = event.arg(-1, "methods")
        names = listed.const if listed is not None and isinstance(listed.const, (list, tuple, frozenset)) else ("GET",)
        methods = frozenset(m.upper() for m in names if isinstance(m, str))
    elif event.qual in _DJANGO_PATTERNS:
        view, rule, framework = event.arg(1, "view"), event.arg(0, "route"), "django"
        methods = frozenset({"GET", "POST"})
    else:
        return None
    if view is None or not view.qual or view.qual.endswith("()"):
        return None  # a class-based view's as_view(): its methods are known by their names
    path = rule.const if rule is not None and isinstance(rule.const, str) else None
    return view.qual, Route(framework, methods, path, None)


def route_role(route: Route) -> dict[str, Any]:
    """A registered route as the module summary lists it for the view's own module (JSON-able)."""
    return {"framework": route.framework, "methods": sorted(route.methods), "path": route.path}


def registered_views(summaries: Iterable[dict[str, Any]], module: str) -> dict[str, Route]:
    """This module's functions that other modules register as views, by qual, with the route they give them."""
    prefix = module + "."
    found: dict[str, Route] = {}
    for summary in summaries:
        for name, role in sorted((summary.get("callbacks") or {}).items()):
            if name.startswith(prefix) and isinstance(role, dict) and role.get("framework") in ("flask", "django"):
                path = role.get("path")
                methods = frozenset(m for m in role.get("methods", ()) if isinstance(m, str))
                found.setdefault(name, Route(role["framework"], methods, path if isinstance(path, str) else None, None))
    return found


#: Decorators of a Django template library that hand a function what a template passes it.
_TEMPLATE_HOOKS = frozenset({"filter", "simple_tag"})


def template_function(analyzer: Analyzer, fn: FunctionInfo) -> bool:
    """``@register.filter`` / ``@register.simple_tag`` in a module that imports django.template: a template calls
    it with whatever it displays (article text, a user's name, the search words)."""
    if not any(m.startswith("django.template") for m in analyzer.imports):
        return False
    for expr in fn.node.decorators:
        func = expr.func if isinstance(expr, ir.Call) else expr
        if isinstance(func, ir.Attr) and func.name in _TEMPLATE_HOOKS and isinstance(func.obj, ir.Name):
            return True
    return False


def _template_seeds(fn: FunctionInfo) -> dict[str, Value]:
    """A filter's or tag's arguments are template data (kind ``template``, models/python/trust.toml): dangerous
    where the function marks HTML safe, which Django leaves to it (``is_safe``, ``mark_safe``)."""
    seeds: dict[str, Value] = {}
    for param in fn.node.params:
        if param.name != "context":  # takes_context=True: the template's own context object
            note = f"template argument '{param.name}' of {fn.name}()"
            seeds[param.name] = Value(labels=frozenset({Label("template", note, (Step(param.span, f"data from a {note}"),))}))
    return seeds


def entry_seeds(analyzer: Analyzer, fn: FunctionInfo, options: dict[str, Any],
                registered: Route | None = None) -> dict[str, Value] | None:
    """Values for the parameters of an entry point; None for an ordinary function. ``registered``: the route a
    call registered the function for (``add_url_rule``, Django's ``path()``), in this file or another."""
    framework = cli_framework(analyzer, fn)
    if framework is not None:
        return _cli_seeds(fn, framework)
    if template_function(analyzer, fn):
        return _template_seeds(fn)
    route = route_of(analyzer, fn)
    if registered is not None and (route is None or route.path is None):
        route = registered  # the registration names the route (and what it captures)
    view_fields(analyzer, fn)
    seeds: dict[str, Value] = {}
    params = fn.node.params
    start = 1 if fn.cls is not None else 0
    handler = route is not None and fn.cls is not None and fn.name in _HTTP_HANDLERS and view_class(analyzer, fn.cls)
    for position, param in enumerate(params[start:], start):
        type_name = _annotation_name(param.annotation)
        if type_name in _REQUEST_TYPES or (type_name is None and param.name in ("request", "req") and _generic_request(analyzer, route)) \
                or (handler and position == 1 and param.kind == "normal"):
            seeds[param.name] = Value(qual=REQUEST)
            continue
        if route is None:
            continue
        default = param.default
        if isinstance(default, ir.Call) and _annotation_name(default.func) in ("Depends", "Security"):
            seeds[param.name] = Value()
        elif type_name in _NOT_INPUT:
            seeds[param.name] = Value()
        elif route.framework == "flask" or (route.framework == "django" and _names_captures(route.path)):
            conv = _path_converters(route.path).get(param.name)
            if conv is None and route.framework == "django":
                continue  # the URL pattern passes only what it captures
            seeds[param.name] = Value(cleared=ALL) if conv in _CONVERTED else _untrusted(param, f"URL parameter '{param.name}'")
        elif route.framework == "django" and not _url_kwarg(param.name):
            continue  # a helper's argument, not something the URL conf captured
        elif type_name in _SAFE_TYPES:
            seeds[param.name] = Value(cleared=ALL)
        elif type_name == "UploadFile":
            seeds[param.name] = _untrusted(param, f"uploaded file '{param.name}'")
        else:
            seeds[param.name] = _untrusted(param, f"request parameter '{param.name}'", _local_class(analyzer, param.annotation))
    return seeds or None


def _names_captures(path: str | None) -> bool:
    """Whether a known Django route names all it captures (``<int:pk>``, ``(?P<slug>...)``, or nothing); unnamed
    regex groups pass positional arguments whose names the route does not give."""
    return path is not None and not re.search(r"\((?!\?)", path)


def _local_class(analyzer: Analyzer, annotation: ir.Expr | None) -> str | None:
    """``item: Item`` where Item is a class of this module: the instance type, so declared field types apply."""
    if isinstance(annotation, ir.Name):
        value = analyzer.globals.get(annotation.id)
        if value is not None and value.qual in analyzer.classes:
            return value.qual + "()"
    return None
