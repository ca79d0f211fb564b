"""HTTP entry points of Express, Koa (@koa/router, koa-router), Fastify and Next.js API routes.

Express/Koa/Fastify routes are calls on an app or router (``router.post(path,
...middleware, handler)``, ``fastify.route({...})``); middleware before the
handler and ``use``/``addHook`` calls before the route on the same object are
its guards, in source order. Routers are followed through ``app.use(prefix,
...middleware, router)`` across files (``module.exports = router``). Next.js
routes come from the file system: ``pages/api/**`` default exports and
``app/**/route.ts`` exported ``GET``/``POST``/... functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bastion.audit.catalog import guard_kind
from bastion.audit.model import ANY_METHOD, EntryPoint, Guard, Param
from bastion.audit.names import const_str, render, walk_statements
from bastion.audit.project import FunctionRef, Project
from bastion.audit.routes import entry_point, express_template, join_paths, next_segment
from bastion.audit.sources import SourceModule
from bastion.core.model import Location
from bastion.sast import ir

_VERBS = {"get": "GET", "post": "POST", "put": "PUT", "patch": "PATCH", "delete": "DELETE", "del": "DELETE", "head": "HEAD", "options": "OPTIONS", "all": None}
_APP_TYPES = {"express()": "express", "express.Router()": "express", "express.default()": "express", "koa-router()": "koa", "@koa/router()": "koa",
              "koa()": "koa", "fastify()": "fastify", "fastify.default()": "fastify", "fastify.fastify()": "fastify"}
_HOOKS = frozenset({"onRequest", "preHandler", "preValidation", "preParsing"})
_ROUTE_FILE = re.compile(r"(^|/)app/(?P<route>.*?)/?route\.(js|ts|mjs|jsx|tsx)$")
_PAGES_API = re.compile(r"(^|/)pages/(?P<route>api/.*)\.(js|ts|mjs|jsx|tsx)$")
_SCHEMA_TYPES = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean", "array": "array", "object": "object"}


@dataclass
class Mount:
    parent: "JsRouter"
    order: int
    prefix: str
    guards: list[Guard]


@dataclass
class JsRouter:
    """An app or router object: the middleware used on it (in order, with the path they apply under) and where it is mounted."""

    source: SourceModule
    name: str
    framework: str
    prefix: str = ""
    uses: list[tuple[int, str, Guard]] = field(default_factory=list)
    mounts: list[Mount] = field(default_factory=list)


@dataclass
class RawRoute:
    router: JsRouter
    order: int
    methods: tuple[str, ...]
    path: str
    handler: FunctionRef
    guards: list[Guard]
    params: list[Param]


def find(project: Project) -> list[EntryPoint]:
    routers: dict[tuple[str, str], JsRouter] = {}
    routes: list[RawRoute] = []
    js = [s for s in project.modules if not s.python]
    for source in js:
        _collect_routers(project, source, routers)
    for source in js:
        _collect_calls(project, source, routers, routes)
    out = []
    for route in routes:
        for prefix, guards in _chains(route.router, route.order):
            template, params = express_template(join_paths(prefix, route.path))
            handler_params = tuple(p.name for p in route.handler.node.params[:1])
            out.append(entry_point(project, route.handler, kind="http", framework=route.router.framework, methods=route.methods or ANY_METHOD,
                                   path=template, request_params=handler_params, params=params + route.params, guards=guards + route.guards))
    out.extend(_next_routes(project, js))
    return out


# ------------------------------------------------------------------ routers


def _collect_routers(project: Project, source: SourceModule, routers: dict[tuple[str, str], JsRouter]) -> None:
    scope = project.scope(source)
    for stmt in walk_statements(source.module.body):
        if isinstance(stmt, ir.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ir.Name) and isinstance(stmt.value, ir.Call):
            qual = scope.qual(stmt.value) or ""
            framework = _APP_TYPES.get(qual) or _wrapped_app(qual)
            if framework is None:
                continue
            prefix = ""
            options = stmt.value.args[0] if stmt.value.args else None
            if isinstance(options, ir.Dict):
                prefix = next((const_str(v) or "" for k, v in zip(options.keys, options.values) if const_str(k) == "prefix"), "")
            routers[(source.path, stmt.targets[0].id)] = JsRouter(source, stmt.targets[0].id, framework, prefix)
        elif isinstance(stmt, ir.FunctionDef) and _is_fastify_plugin(stmt, source):
            name = stmt.params[0].name
            routers.setdefault((source.path, name), JsRouter(source, name, "fastify"))
        elif isinstance(stmt, ir.FunctionDef):  # function setup(siteApp) { siteApp.get('/x', handler) }: an app handed in
            for param in stmt.params:
                if _APP_PARAM.search(param.name) and _registers_routes(stmt, param.name):
                    routers.setdefault((source.path, param.name), JsRouter(source, param.name, _project_framework(project)))


_APP_PARAM = re.compile(r"^(app|router|server)$|[a-z](App|Router)$")


def _registers_routes(fn: ir.FunctionDef, name: str) -> bool:
    """The parameter receives a route with a literal path (``name.get('/x', ...)``), not a cache or map lookup."""
    for stmt in fn.body:
        call = stmt.expr if isinstance(stmt, ir.ExprStmt) else None
        if (isinstance(call, ir.Call) and isinstance(call.func, ir.Attr) and isinstance(call.func.obj, ir.Name) and call.func.obj.id == name
                and call.func.name in _VERBS and len(call.args) >= 2 and (const_str(call.args[0]) or "").startswith("/")):
            return True
    return False


def _project_framework(project: Project) -> str:
    """The JavaScript server framework the project imports (Express when it says nothing else)."""
    for source in project.modules:
        if not source.python:
            for qual in project.scope(source).names.values():
                if qual in ("koa", "@koa/router", "koa-router"):
                    return "koa"
    return "express"


def _wrapped_app(qual: str) -> str | None:
    """A project module re-exporting Express (``require('../shared/express')``): ``….express[]()``, ``….express[].Router()``."""
    if not qual.startswith("./"):
        return None
    module, _, rest = qual.partition("[]")
    if module.rsplit("/", 1)[-1] == "express" and rest in ("()", ".Router()"):
        return "express"
    return None


def _is_fastify_plugin(fn: ir.FunctionDef, source: SourceModule) -> bool:
    """``async function routes(fastify, opts)``: a Fastify plugin whose first parameter is the instance."""
    return bool(fn.params) and fn.params[0].name in ("fastify", "app", "server", "instance") and any(
        isinstance(s, ir.ExprStmt) and isinstance(s.expr, ir.Call) and isinstance(s.expr.func, ir.Attr) and render(s.expr.func.obj) == fn.params[0].name
        for s in fn.body) and "fastify" in " ".join(source.lines[:40])


def _exported_router(project: Project, qual: str, routers: dict[tuple[str, str], JsRouter]) -> JsRouter | None:
    """The router a project module exports (``module.exports = router`` / ``export default router``)."""
    module_name = qual.replace("()", "")
    source = project.module_named(module_name)
    if source is None:
        return None
    for stmt in source.module.body:
        if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Name):
            target = render(stmt.targets[0]) if stmt.targets else ""
            if target in ("module.exports", "default", "exports.default") and (source.path, stmt.value.id) in routers:
                return routers[(source.path, stmt.value.id)]
        if isinstance(stmt, ir.FunctionDef) and stmt.name == "default" and stmt.params:
            return routers.get((source.path, stmt.params[0].name))
    for (path, _), router in routers.items():  # a plugin function exported under another name
        if path == source.path:
            return router
    return None


def _collect_calls(project: Project, source: SourceModule, routers: dict[tuple[str, str], JsRouter], routes: list[RawRoute]) -> None:
    scope = project.scope(source)
    functions = {s.name: s for s in walk_statements(source.module.body) if isinstance(s, ir.FunctionDef)}
    for order, stmt in enumerate(walk_statements(source.module.body)):
        if not isinstance(stmt, ir.ExprStmt) or not isinstance(stmt.expr, ir.Call) or not isinstance(stmt.expr.func, ir.Attr):
            continue
        call = stmt.expr
        method = call.func.name
        receiver = call.func.obj
        path_from_route = None
        if isinstance(receiver, ir.Call) and isinstance(receiver.func, ir.Attr) and receiver.func.name == "route":  # router.route('/x').get(h)
            path_from_route = const_str(receiver.args[0]) if receiver.args else None
            receiver = receiver.func.obj
        router = routers.get((source.path, render(receiver)))
        if router is None:
            continue
        if method in ("use", "lazyUse", "register") and call.args:
            _use(project, source, router, order, call, routers, functions)
        elif method == "addHook" and len(call.args) >= 2 and const_str(call.args[0]) in _HOOKS:
            for guard in _guards(source, call.args[1:], functions):
                router.uses.append((order, "", guard))
        elif method == "route" and call.args and isinstance(call.args[0], ir.Dict) and router.framework == "fastify":
            _fastify_route(project, source, router, order, call.args[0], functions, routes)
        elif method in _VERBS:
            args = list(call.args)
            path = path_from_route if path_from_route is not None else const_str(args.pop(0)) if args and const_str(args[0]) is not None else None
            if path is None or not args:
                continue
            options = args[0] if router.framework == "fastify" and isinstance(args[0], ir.Dict) and len(args) > 1 else None
            if options is not None:
                args = args[1:]
            handler = _function_ref(project, source, scope, args[-1], functions) or _wrapped_handler(project, source, scope, args[-1], functions)
            if handler is None:
                continue
            verb = _VERBS[method]
            guards = _guards(source, args[:-1], functions)
            params: list[Param] = []
            if options is not None:
                guards += _options_guards(source, options, functions)
                params += _schema_params(options)
            routes.append(RawRoute(router, order, (verb,) if verb else (), path, handler, guards, params))


def _use(project: Project, source: SourceModule, router: JsRouter, order: int, call: ir.Call, routers: dict[tuple[str, str], JsRouter],
         functions: dict[str, ir.FunctionDef]) -> None:
    args = list(call.args)
    prefix = const_str(args[0]) if args and const_str(args[0]) is not None else ""
    if prefix or (args and const_str(args[0]) is not None):
        args = args[1:]
    if router.framework == "fastify" and len(call.args) >= 2 and isinstance(call.args[-1], ir.Dict):  # fastify.register(plugin, { prefix })
        options = call.args[-1]
        prefix = next((const_str(v) or "" for k, v in zip(options.keys, options.values) if const_str(k) == "prefix"), "")
        args = args[:-1]
    scope = project.scope(source)
    mounted: list[JsRouter] = []
    middleware: list[ir.Expr] = []
    for arg in args:
        target = arg.func.obj if isinstance(arg, ir.Call) and isinstance(arg.func, ir.Attr) and arg.func.name in ("routes", "middleware") else arg
        if isinstance(target, ir.Call) and not target.args:  # app.use(routes()): a factory exported by a project module
            target = target.func
        child = routers.get((source.path, render(target)))
        if child is None and isinstance(target, (ir.Name, ir.Attr)):
            qual = scope.qual(target) or ""
            child = _exported_router(project, qual, routers) if qual.startswith("./") else None
            if child is None and isinstance(target, ir.Name) and target.id in functions and router.framework == "fastify":
                child = routers.get((source.path, functions[target.id].params[0].name)) if functions[target.id].params else None
        if child is not None and child is not router:
            mounted.append(child)
        else:
            middleware.append(arg)
    guards = _guards(source, middleware, functions)
    if mounted:
        for child in mounted:
            child.mounts.append(Mount(router, order, prefix, guards))
    else:
        for guard in guards:
            router.uses.append((order, prefix, guard))


def _chains(router: JsRouter, order: int, depth: int = 0) -> list[tuple[str, list[Guard]]]:
    """Every (full prefix, guards) a route registered at ``order`` on ``router`` is reachable under."""
    own = [g for o, p, g in router.uses if o < order]
    if not router.mounts or depth > 5:
        return [(router.prefix, own)]
    out = []
    for mount in router.mounts:
        for prefix, guards in _chains(mount.parent, mount.order, depth + 1):
            out.append((join_paths(prefix, mount.prefix, router.prefix), guards + mount.guards + own))
    return out


def _function_ref(project: Project, source: SourceModule, scope, expr: ir.Expr, functions: dict[str, ir.FunctionDef]) -> FunctionRef | None:
    if isinstance(expr, ir.Name) and expr.id in functions:
        qual = f"{source.name}.{expr.id}"
        return project.functions.get(qual) or FunctionRef(source, functions[expr.id], qual)
    qual = (scope.qual(expr) or "").replace("()", "")
    return project.functions.get(qual) or _exported_function(project, qual)


def _wrapped_handler(project: Project, source: SourceModule, scope, expr: ir.Expr, functions: dict[str, ir.FunctionDef]) -> FunctionRef | None:
    """``asyncHandler(async (req, res) => …)``, ``http(api.posts.browse)``: the function inside the wrapper when it is known,
    else the wrapper call itself stands for the handler (named as written, at the route's line)."""
    if not isinstance(expr, ir.Call):
        return None
    for arg in expr.args:
        inner = _function_ref(project, source, scope, arg, functions)
        if inner is not None:
            return inner
    body = (ir.ExprStmt(expr, expr.span),)
    name = f"{render(expr.func)}({', '.join(render(a) for a in expr.args)})"
    return FunctionRef(source, ir.FunctionDef(name, (), body, (), None, expr.span), f"{source.name}.{name}")


def _exported_function(project: Project, qual: str) -> FunctionRef | None:
    """``controller.create`` where controller is a project module exporting ``create`` (``exports.create = fn``, ``module.exports = {create}``)."""
    module_name, _, name = qual.rpartition(".")
    source = project.module_named(module_name) if module_name.startswith("./") else None
    if source is None:
        return None
    functions = {s.name: s for s in walk_statements(source.module.body) if isinstance(s, ir.FunctionDef)}
    for stmt in source.module.body:
        if not isinstance(stmt, ir.Assign) or not stmt.targets:
            continue
        target = render(stmt.targets[0])
        if target in (f"exports.{name}", f"module.exports.{name}") and isinstance(stmt.value, ir.Name) and stmt.value.id in functions:
            return FunctionRef(source, functions[stmt.value.id], f"{source.name}.{name}")
        if target == "module.exports" and isinstance(stmt.value, ir.Dict):
            for key, value in zip(stmt.value.keys, stmt.value.values):
                if const_str(key) == name and isinstance(value, ir.Name) and value.id in functions:
                    return FunctionRef(source, functions[value.id], f"{source.name}.{name}")
    return None


def _guards(source: SourceModule, exprs: list[ir.Expr], functions: dict[str, ir.FunctionDef]) -> list[Guard]:
    guards = []
    for expr in exprs:
        items = expr.items if isinstance(expr, ir.Seq) else (expr,)
        for item in items:
            target = item.func if isinstance(item, ir.Call) else item
            text = render(target)
            kind = guard_kind(text)
            if kind is None and isinstance(item, ir.Call) and item.args:  # passport.authenticate('jwt'), requireRole('admin')
                kind = guard_kind(render(item))
            if kind is None and isinstance(item, ir.Call):
                kind = "validation" if text.split(".")[-1] in ("celebrate", "validate", "checkSchema", "body", "query", "param") else None
            if kind is not None:
                guards.append(Guard(kind, text, _loc(source, getattr(item, "span", ir.NOSPAN))))
    return guards


# ------------------------------------------------------------------- Fastify


def _dict_get(options: ir.Dict, key: str) -> ir.Expr | None:
    for k, v in zip(options.keys, options.values):
        if const_str(k) == key:
            return v
    return None


def _options_guards(source: SourceModule, options: ir.Dict, functions: dict[str, ir.FunctionDef]) -> list[Guard]:
    guards = []
    for hook in ("onRequest", "preHandler", "preValidation"):
        value = _dict_get(options, hook)
        if value is not None:
            guards += _guards(source, [value], functions)
    config = _dict_get(options, "config")
    if isinstance(config, ir.Dict) and _dict_get(config, "rateLimit") is not None:
        guards.append(Guard("rate-limit", "config.rateLimit", _loc(source, config.span)))
    return guards


def _schema_params(options: ir.Dict) -> list[Param]:
    """``schema: {body: {type: 'object', required: [...], properties: {...}}, querystring: ..., params: ..., headers: ...}``."""
    schema = _dict_get(options, "schema")
    if not isinstance(schema, ir.Dict):
        return []
    params = []
    for key, location in (("body", "body"), ("querystring", "query"), ("query", "query"), ("params", "path"), ("headers", "header")):
        part = _dict_get(schema, key)
        if not isinstance(part, ir.Dict):
            continue
        required = set()
        req = _dict_get(part, "required")
        if isinstance(req, ir.Seq):
            required = {i.value for i in req.items if isinstance(i, ir.Const)}
        properties = _dict_get(part, "properties")
        if not isinstance(properties, ir.Dict):
            continue
        for name_expr, spec in zip(properties.keys, properties.values):
            name = const_str(name_expr)
            if name is None:
                continue
            type_ = const_str(_dict_get(spec, "type")) if isinstance(spec, ir.Dict) else None
            params.append(Param(name, location, _SCHEMA_TYPES.get(type_ or "", type_), name in required or location == "path"))
    return params


def _fastify_route(project: Project, source: SourceModule, router: JsRouter, order: int, options: ir.Dict, functions: dict[str, ir.FunctionDef],
                   routes: list[RawRoute]) -> None:
    method = _dict_get(options, "method")
    methods = tuple(m.upper() for m in ([const_str(method)] if const_str(method) else [i.value for i in getattr(method, "items", ()) if isinstance(i, ir.Const)]) if m)
    url = const_str(_dict_get(options, "url") or _dict_get(options, "path"))
    handler_expr = _dict_get(options, "handler")
    if url is None or handler_expr is None:
        return
    handler = _function_ref(project, source, project.scope(source), handler_expr, functions)
    if handler is not None:
        routes.append(RawRoute(router, order, methods, url, handler, _options_guards(source, options, functions), _schema_params(options)))


# ------------------------------------------------------------------- Next.js


def _next_routes(project: Project, sources: list[SourceModule]) -> list[EntryPoint]:
    out = []
    for source in sources:
        app_route = _ROUTE_FILE.search(source.path)
        pages = _PAGES_API.search(source.path) if app_route is None else None
        if app_route is None and pages is None:
            continue
        raw = (app_route or pages)["route"]
        segments, params = [], []
        for segment in raw.split("/"):
            if not segment or (segment.startswith("(") and segment.endswith(")")) or segment.startswith("@"):
                continue
            if pages is not None and segment == "index":
                continue
            text, param = next_segment(segment)
            segments.append(text)
            if param is not None:
                params.append(param)
        path = "/" + "/".join(segments)
        top = {s.name: s for s in source.module.body if isinstance(s, ir.FunctionDef)}
        if app_route is not None:
            for name, fn in top.items():
                if name in ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"):
                    ref = FunctionRef(source, fn, f"{source.name}.{name}")
                    out.append(entry_point(project, ref, kind="http", framework="nextjs", methods=(name,), path=path,
                                           request_params=tuple(p.name for p in fn.params[:1]), params=list(params)))
        else:
            fn = top.get("default") or _default_export(source, top) or next(
                (f for f in top.values() if source.line(f.span.line).lstrip().startswith("export default")), None)
            if fn is None:
                continue
            ref = FunctionRef(source, fn, f"{source.name}.default")
            methods = _compared_methods(fn) or ANY_METHOD
            query_params = [Param(p.name, "path", p.type, p.required) for p in params]
            out.append(entry_point(project, ref, kind="http", framework="nextjs", methods=methods, path=path,
                                   request_params=tuple(p.name for p in fn.params[:1]), params=query_params))
    return out


def _default_export(source: SourceModule, top: dict[str, ir.FunctionDef]) -> ir.FunctionDef | None:
    for stmt in source.module.body:
        if isinstance(stmt, ir.Assign) and stmt.targets and render(stmt.targets[0]) in ("default", "module.exports") and isinstance(stmt.value, ir.Name):
            return top.get(stmt.value.id)
        if isinstance(stmt, ir.Assign) and stmt.targets and render(stmt.targets[0]) in ("default", "module.exports") and isinstance(stmt.value, ir.Call):
            inner = [a for a in stmt.value.args if isinstance(a, ir.Name) and a.id in top]  # export default withAuth(handler)
            if inner:
                return top[inner[0].id]
    return None


def _compared_methods(fn: ir.FunctionDef) -> tuple[str, ...]:
    """``if (req.method === 'POST')`` / ``switch (req.method)``: the methods a pages/api handler serves."""
    found = set()
    for stmt in walk_statements(fn.body):
        if isinstance(stmt, ir.If) and isinstance(stmt.test, ir.Compare) and render(stmt.test.left).endswith(".method"):
            for comp in stmt.test.comparators:
                value = const_str(comp)
                if value and value.upper() in ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"):
                    found.add(value.upper())
    return tuple(sorted(found))


def _loc(source: SourceModule, span: ir.Span) -> Location:
    return Location(source.path, span.line, span.column, span.end_line, span.end_column)
