"""HTTP entry points of Flask (and Quart) and FastAPI (and Starlette) applications.

Routes come from decorators (``@app.route``, ``@bp.post``, ``@router.get``),
prefixes from ``Blueprint(url_prefix=)`` / ``APIRouter(prefix=)`` and from
``register_blueprint`` / ``include_router`` anywhere in the project. Guards
come from decorators, FastAPI dependencies (on the parameter, the route, the
router and the include), ``before_request`` hooks and app-wide CSRF/limiter
set-up.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bastion.audit.catalog import guard_kind
from bastion.audit.body import HandlerWalker
from bastion.audit.model import ANY_METHOD, STATE_CHANGING, EntryPoint, Guard, Param
from bastion.audit.models_py import model_fields
from bastion.audit.names import const_str, const_strs, render, walk_statements
from bastion.audit.project import FunctionRef, Project
from bastion.audit.routes import brace_template, entry_point, flask_template, join_paths
from bastion.audit.sources import SourceModule
from bastion.core.model import Location
from bastion.sast import ir

ROUTE_DECORATORS = frozenset({"route", "get", "post", "put", "delete", "patch", "api_route", "head", "options", "websocket"})
_FLASK_TYPES = ("flask.Flask()", "flask.Blueprint()", "quart.Quart()", "quart.Blueprint()", "flask.blueprints.Blueprint()")
_FASTAPI_TYPES = ("fastapi.FastAPI()", "fastapi.APIRouter()", "fastapi.routing.APIRouter()", "starlette.applications.Starlette()")
_SCALARS = {"int": "int", "float": "float", "bool": "bool", "str": "str", "UUID": "uuid", "uuid.UUID": "uuid", "datetime": "datetime", "date": "date", "bytes": "bytes", "Decimal": "decimal", "EmailStr": "email"}
_NOT_INPUT = frozenset({"Request", "Response", "BackgroundTasks", "WebSocket", "Session", "AsyncSession", "SecurityScopes", "HTTPConnection"})
_INPUT_MARKERS = {"Query": "query", "Path": "path", "Body": "body", "Header": "header", "Cookie": "cookie", "Form": "form", "File": "form", "UploadFile": "form"}


@dataclass
class Router:
    """A Flask app/blueprint or a FastAPI app/router: its prefix and the guards everything under it has."""

    framework: str
    prefix: str = ""
    guards: list[Guard] = field(default_factory=list)


def find(project: Project) -> list[EntryPoint]:
    routers = _routers(project)
    app_guards = _app_wide_guards(project)
    out = []
    for source in project.modules:
        if not source.python:
            continue
        scope = project.scope(source)
        for stmt in walk_statements(source.module.body):
            if not isinstance(stmt, ir.FunctionDef):
                continue
            for decorator in stmt.decorators:
                if not (isinstance(decorator, ir.Call) and isinstance(decorator.func, ir.Attr) and decorator.func.name in ROUTE_DECORATORS):
                    continue
                owner = scope.qual(decorator.func.obj) or ""
                router = routers.get((source.path, render(decorator.func.obj)))
                framework = _framework(owner, router, source, project)
                if framework is None:
                    continue
                ref = project.ref_of(source, stmt)
                if framework == "flask":
                    out.append(_flask_route(project, ref, decorator, router, app_guards))
                else:
                    out.append(_fastapi_route(project, ref, decorator, router))
    return out


def _framework(owner: str, router: Router | None, source: SourceModule, project: Project) -> str | None:
    if router is not None:
        return router.framework
    if owner.startswith(_FLASK_TYPES):
        return "flask"
    if owner.startswith(_FASTAPI_TYPES):
        return "fastapi"
    roots = {q.split(".")[0] for q in project.scope(source).names.values()}
    if "fastapi" in roots:
        return "fastapi"
    if roots & {"flask", "quart"}:
        return "flask"
    return None



# ----------------------------------------------------------------- routers


def _routers(project: Project) -> dict[tuple[str, str], Router]:
    """Every app/blueprint/router object by (file, variable), with its own prefix, then prefixes and guards from where it is mounted."""
    routers: dict[tuple[str, str], Router] = {}
    by_qual: dict[str, Router] = {}
    for source in project.modules:
        if not source.python:
            continue
        scope = project.scope(source)
        for stmt in walk_statements(source.module.body):
            if not (isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Call) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ir.Name)):
                continue
            qual = scope.qual(stmt.value) or ""
            if qual.startswith(_FLASK_TYPES):
                router = Router("flask", const_str(stmt.value.keyword("url_prefix")) or "")
            elif qual.startswith(_FASTAPI_TYPES):
                router = Router("fastapi", const_str(stmt.value.keyword("prefix")) or "", _dependency_guards(source, stmt.value.keyword("dependencies")))
            else:
                continue
            name = stmt.targets[0].id
            routers[(source.path, name)] = router
            by_qual[f"{source.module.name}.{name}"] = router
    for source in project.modules:  # mounts: app.register_blueprint(bp, url_prefix=...), app.include_router(r, prefix=..., dependencies=[...])
        if not source.python:
            continue
        scope = project.scope(source)
        for stmt in walk_statements(source.module.body):
            if not isinstance(stmt, ir.ExprStmt) or not isinstance(stmt.expr, ir.Call) or not isinstance(stmt.expr.func, ir.Attr):
                continue
            call = stmt.expr
            if call.func.name not in ("register_blueprint", "include_router") or not call.args:
                continue
            target = call.args[0]
            mounted = routers.get((source.path, render(target))) or by_qual.get(scope.qual(target) or "")
            if mounted is None:
                continue
            parent = routers.get((source.path, render(call.func.obj)))
            prefix = const_str(call.keyword("url_prefix") or call.keyword("prefix")) or ""
            mounted.prefix = join_paths(parent.prefix if parent else "", prefix, mounted.prefix) if (prefix or parent and parent.prefix) else mounted.prefix
            mounted.guards = mounted.guards + _dependency_guards(source, call.keyword("dependencies")) + (parent.guards if parent else [])
    _before_request_guards(project, routers)
    return routers


def _before_request_guards(project: Project, routers: dict[tuple[str, str], Router]) -> None:
    """``@bp.before_request`` hooks that check the caller guard every route of that blueprint."""
    for source in project.modules:
        if not source.python:
            continue
        for stmt in walk_statements(source.module.body):
            if not isinstance(stmt, ir.FunctionDef):
                continue
            for decorator in stmt.decorators:
                target = decorator.func if isinstance(decorator, ir.Call) else decorator
                if not (isinstance(target, ir.Attr) and target.name == "before_request"):
                    continue
                router = routers.get((source.path, render(target.obj)))
                if router is None:
                    continue
                facts = HandlerWalker(project).walk(project.ref_of(source, stmt), {})
                checks = [g for g in facts.guards if g.kind in ("authentication", "authorization")]
                kind = guard_kind(stmt.name)
                if checks or kind in ("authentication", "authorization"):
                    router.guards.append(Guard(checks[0].kind if checks else kind or "authentication", f"before_request {stmt.name}", _loc(source, stmt.span)))


def _app_wide_guards(project: Project) -> list[Guard]:
    """``CSRFProtect(app)`` / ``csrf.init_app(app)`` and ``Limiter(app, default_limits=...)``: every Flask route has them."""
    guards = []
    for source in project.modules:
        if not source.python:
            continue
        scope = project.scope(source)
        for stmt in walk_statements(source.module.body):
            for expr in (stmt.value if isinstance(stmt, ir.Assign) else stmt.expr if isinstance(stmt, ir.ExprStmt) else None,):
                if not isinstance(expr, ir.Call):
                    continue
                qual = (scope.qual(expr.func) or "").replace("()", "")
                if qual in ("flask_wtf.csrf.CSRFProtect", "flask_wtf.CSRFProtect", "flask_wtf.csrf.CSRFProtect.init_app") or (qual.endswith(".init_app") and "CSRFProtect" in qual):
                    guards.append(Guard("csrf", "CSRFProtect", _loc(source, expr.span)))
                elif qual in ("flask_limiter.Limiter",) and expr.keyword("default_limits") is not None:
                    guards.append(Guard("rate-limit", "Limiter default_limits", _loc(source, expr.span)))
    return guards


# ------------------------------------------------------------------- Flask


def _flask_route(project: Project, ref: FunctionRef, decorator: ir.Call, router: Router | None, app_guards: list[Guard]) -> EntryPoint:
    name = decorator.func.name
    raw = const_str(decorator.args[0]) if decorator.args else const_str(decorator.keyword("rule"))
    if name == "route":
        methods = tuple(m.upper() for m in const_strs(decorator.keyword("methods"))) or ("GET",)
    else:
        methods = (name.upper(),)
    template, params = flask_template(join_paths(router.prefix if router else "", raw or ""))
    guards = _decorator_guards(ref.source, ref.node) + (router.guards if router else [])
    exempt = any(g.kind == "csrf-exempt" for g in guards)
    for guard in app_guards:
        if guard.kind == "csrf" and (exempt or not STATE_CHANGING & set(methods)):
            continue
        if not any(g.kind == guard.kind for g in guards):
            guards.append(guard)
    return entry_point(project, ref, kind="http", framework="flask", methods=methods, path=template, params=params, guards=guards)


def _decorator_guards(source: SourceModule, node: ir.FunctionDef | ir.ClassDef) -> list[Guard]:
    guards = []
    for decorator in node.decorators:
        target = decorator.func if isinstance(decorator, ir.Call) else decorator
        if isinstance(target, ir.Attr) and target.name in ROUTE_DECORATORS:
            continue
        text = render(target)
        kind = guard_kind(text)
        if kind is not None:
            guards.append(Guard(kind, text, _loc(source, getattr(decorator, "span", node.span))))
    return guards


# ----------------------------------------------------------------- FastAPI


def _fastapi_route(project: Project, ref: FunctionRef, decorator: ir.Call, router: Router | None) -> EntryPoint:
    name = decorator.func.name
    raw = const_str(decorator.args[0]) if decorator.args else const_str(decorator.keyword("path")) or ""
    if name == "api_route":
        methods = tuple(m.upper() for m in const_strs(decorator.keyword("methods"))) or ("GET",)
    elif name == "websocket":
        methods = ("GET",)
    else:
        methods = (name.upper(),) if name != "route" else tuple(m.upper() for m in const_strs(decorator.keyword("methods"))) or ("GET",)
    template, path_params = brace_template(join_paths(router.prefix if router else "", raw or ""))
    path_names = {p.name for p in path_params}
    guards = _decorator_guards(ref.source, ref.node) + _dependency_guards(ref.source, decorator.keyword("dependencies")) + (router.guards if router else [])
    params: list[Param] = list(path_params)
    request_params = []
    for param in ref.node.params:
        if param.kind in ("star", "kwstar"):
            continue
        marker_call = _marker_call(param)
        marker = _marker(marker_call)
        annotation = _annotation(param.annotation)
        if marker in ("Depends", "Security"):
            dep = marker_call.args[0] if isinstance(marker_call, ir.Call) and marker_call.args else param.annotation
            guards.extend(_named_guard(ref.source, dep, param.span))
            continue
        if annotation in ("Request", "HTTPConnection", "WebSocket"):
            request_params.append(param.name)
            continue
        if annotation in _NOT_INPUT:
            continue
        required = (param.default is None and not _optional(param.annotation)) or (isinstance(param.default, ir.Call) and _ellipsis_first(param.default))
        if param.name in path_names:
            params = [Param(p.name, "path", _SCALARS.get(annotation or "", p.type or annotation), True) if p.name == param.name else p for p in params]
            continue
        fields = model_fields(project, ref.source, param.annotation)
        if fields is not None and marker in (None, "Body"):
            params.extend(fields)
            continue
        location = _INPUT_MARKERS.get(marker or "", _INPUT_MARKERS.get(annotation or "", "query"))
        name_ = _alias(marker_call) or (param.name.replace("_", "-") if location == "header" else param.name)
        params.append(Param(name_, location, _SCALARS.get(annotation or "", annotation), bool(required)))
    methods = methods or ANY_METHOD
    return entry_point(project, ref, kind="http", framework="fastapi", methods=methods, path=template, params=params, guards=guards, request_params=tuple(request_params))


def _dependency_guards(source: SourceModule, deps: ir.Expr | None) -> list[Guard]:
    guards = []
    if isinstance(deps, ir.Seq):
        for item in deps.items:
            if isinstance(item, ir.Call) and _marker(item) in ("Depends", "Security") and item.args:
                guards.extend(_named_guard(source, item.args[0], item.span))
    return guards


def _named_guard(source: SourceModule, expr: ir.Expr | None, span: ir.Span) -> list[Guard]:
    text = render(expr.func if isinstance(expr, ir.Call) else expr)
    kind = guard_kind(text)
    return [Guard(kind, text, _loc(source, span))] if kind else []


def _marker(expr: ir.Expr | None) -> str | None:
    if isinstance(expr, ir.Call):
        func = expr.func
        return func.id if isinstance(func, ir.Name) else func.name if isinstance(func, ir.Attr) else None
    return None


def _ellipsis_first(call: ir.Call) -> bool:
    default = call.keyword("default")
    first = call.args[0] if call.args else default
    return isinstance(first, ir.Const) and first.value is Ellipsis or (first is None and call.keyword("default_factory") is None)


def _alias(marker: ir.Call | None) -> str | None:
    return const_str(marker.keyword("alias")) if marker is not None else None


def _marker_call(param: ir.Param) -> ir.Call | None:
    """``q: str = Query(...)`` or ``q: Annotated[str, Query()]``: the FastAPI marker saying where the parameter comes from."""
    if isinstance(param.default, ir.Call) and _marker(param.default) in (*_INPUT_MARKERS, "Depends", "Security"):
        return param.default
    generic = _generic(param.annotation)
    if generic is not None and generic[0] == "Annotated":
        for item in generic[1][1:]:
            if isinstance(item, ir.Call) and _marker(item) in (*_INPUT_MARKERS, "Depends", "Security"):
                return item
    return None


def _optional(annotation: ir.Expr | None) -> bool:
    """``Optional[int]``, ``int | None``, ``Annotated[str | None, ...]``."""
    generic = _generic(annotation)
    if generic is not None:
        head, items = generic
        return head == "Optional" or (head == "Annotated" and bool(items) and _optional(items[0]))
    if isinstance(annotation, ir.BinOp):
        return any(isinstance(side, ir.Const) and side.value is None for side in (annotation.left, annotation.right)) or _optional(annotation.left)
    return False


def _generic(expr: ir.Expr | None) -> tuple[str | None, tuple[ir.Expr, ...]] | None:
    """``Optional[int]`` -> ("Optional", (int,)): subscripts, and generic types as the frontend keeps them in annotations."""
    if isinstance(expr, ir.Index):
        items = expr.index.items if isinstance(expr.index, ir.Seq) else (expr.index,)
        return _annotation(expr.obj), tuple(items)
    if isinstance(expr, ir.Opaque) and len(expr.children) == 2 and isinstance(expr.children[0], (ir.Name, ir.Attr)):
        inner = expr.children[1]
        items = inner.children if isinstance(inner, ir.Opaque) else inner.items if isinstance(inner, ir.Seq) else (inner,)
        return _annotation(expr.children[0]), tuple(items)
    return None


def _annotation(expr: ir.Expr | None) -> str | None:
    """``int``, ``Optional[int]`` -> int; ``Annotated[str, Query()]`` -> str."""
    if isinstance(expr, ir.Name):
        return expr.id
    if isinstance(expr, ir.Attr):
        return expr.name
    generic = _generic(expr)
    if generic is not None:
        head, items = generic
        return _annotation(items[0]) if head in ("Annotated", "Optional", "Union") and items else head
    if isinstance(expr, ir.BinOp):  # int | None
        return _annotation(expr.left)
    return None


def _loc(source: SourceModule, span: ir.Span) -> Location:
    return Location(source.path, span.line, span.column, span.end_line, span.end_column)
