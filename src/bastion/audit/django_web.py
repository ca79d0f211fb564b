"""HTTP entry points of Django and Django REST framework, from the URL configuration.

``urlpatterns`` are followed from every ``urls.py`` (``include()`` adds its
prefix), views resolved through imports to function views, class-based
views (``.as_view()``) and DRF viewsets registered on routers. Guards:
decorators, ``method_decorator``, auth mixins, DRF ``permission_classes`` /
``throttle_classes`` (and the ``REST_FRAMEWORK`` defaults), and
``CsrfViewMiddleware`` in ``MIDDLEWARE`` for Django's own views.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from bastion.audit.catalog import guard_kind
from bastion.audit.model import ANY_METHOD, STATE_CHANGING, EntryPoint, Guard, Param, Reach
from bastion.audit.models_py import serializer_fields
from bastion.audit.names import const_str, const_strs, render, walk_statements
from bastion.audit.project import FunctionRef, Project
from bastion.audit.routes import entry_point, flask_template, join_paths, regex_template
from bastion.audit.sources import SourceModule
from bastion.core.model import Location
from bastion.sast import ir

_HTTP_METHODS = ("get", "post", "put", "patch", "delete", "head", "options")
#: Generic views -> methods they serve when the class defines none itself.
GENERIC_METHODS = {
    "ListAPIView": ("GET",), "RetrieveAPIView": ("GET",), "CreateAPIView": ("POST",), "DestroyAPIView": ("DELETE",),
    "UpdateAPIView": ("PATCH", "PUT"), "ListCreateAPIView": ("GET", "POST"), "RetrieveUpdateAPIView": ("GET", "PATCH", "PUT"),
    "RetrieveDestroyAPIView": ("DELETE", "GET"), "RetrieveUpdateDestroyAPIView": ("DELETE", "GET", "PATCH", "PUT"),
    "ListView": ("GET",), "DetailView": ("GET",), "TemplateView": ("GET",), "RedirectView": ("GET",),
    "CreateView": ("GET", "POST"), "UpdateView": ("GET", "POST"), "DeleteView": ("GET", "POST"), "FormView": ("GET", "POST"),
    "LoginView": ("GET", "POST"), "LogoutView": ("POST",),
}
#: ViewSet actions -> (method, on the detail route).
VIEWSET_ACTIONS = {"list": ("GET", False), "create": ("POST", False), "retrieve": ("GET", True), "update": ("PUT", True),
                   "partial_update": ("PATCH", True), "destroy": ("DELETE", True)}
VIEWSET_BASES = {"ModelViewSet": tuple(VIEWSET_ACTIONS), "ReadOnlyModelViewSet": ("list", "retrieve")}
_METHOD_DECORATORS = {"require_POST": ("POST",), "require_GET": ("GET",), "require_safe": ("GET", "HEAD")}
_PUBLIC = frozenset({"AllowAny"})
_DRF_BASES = ("APIView", "ViewSet", "GenericViewSet", "ModelViewSet", "ReadOnlyModelViewSet", "GenericAPIView") + tuple(k for k in GENERIC_METHODS if k.endswith("APIView"))


@dataclass
class Settings:
    """What ``settings.py`` says about every view."""

    csrf: Guard | None = None
    drf_permissions: list[Guard] = field(default_factory=list)
    drf_throttles: list[Guard] = field(default_factory=list)


def find(project: Project) -> list[EntryPoint]:
    settings = _settings(project)
    out: list[EntryPoint] = []
    seen_modules: set[str] = set()
    included = _included_modules(project)
    for source in project.modules:
        if source.python and source.path.endswith("urls.py") and source.module.name not in included:
            _urlconf(project, source, "", settings, out, seen_modules)
    return out


def _included_modules(project: Project) -> set[str]:
    names = set()
    for source in project.modules:
        if not (source.python and source.path.endswith("urls.py")):
            continue
        for stmt in walk_statements(source.module.body):
            for call in _calls_in(stmt):
                if isinstance(call.func, (ir.Name, ir.Attr)) and render(call.func).endswith("include") and call.args:
                    target = const_str(call.args[0]) or (const_str(call.args[0].items[0]) if isinstance(call.args[0], ir.Seq) and call.args[0].items else None)
                    if target:
                        names.add(target)
    return names


def _calls_in(stmt: ir.Stmt):
    from bastion.audit.names import statement_exprs, subexpressions

    for expr in statement_exprs(stmt):
        for node in subexpressions(expr):
            if isinstance(node, ir.Call):
                yield node


def _urlconf(project: Project, source: SourceModule, prefix: str, settings: Settings, out: list[EntryPoint], seen: set[str]) -> None:
    if source.module.name in seen:
        return
    seen.add(source.module.name)
    routers = _drf_routers(project, source)
    for stmt in source.module.body:
        if not (isinstance(stmt, ir.Assign) and any(isinstance(t, ir.Name) and t.id == "urlpatterns" for t in stmt.targets)) and not (
            isinstance(stmt, ir.Assign) and stmt.op == "+" and any(isinstance(t, ir.Name) and t.id == "urlpatterns" for t in stmt.targets)):
            continue
        items = stmt.value.items if isinstance(stmt.value, ir.Seq) else ()
        if isinstance(stmt.value, ir.BinOp):
            items = tuple(i for side in (stmt.value.left, stmt.value.right) if isinstance(side, ir.Seq) for i in side.items)
        for item in items:
            if isinstance(item, ir.Call):
                _pattern(project, source, item, prefix, settings, routers, out, seen)


def _pattern(project: Project, source: SourceModule, call: ir.Call, prefix: str, settings: Settings, routers: dict[str, list[tuple[str, ir.Expr]]],
             out: list[EntryPoint], seen: set[str]) -> None:
    func = render(call.func).rsplit(".", 1)[-1]
    if func not in ("path", "re_path", "url") or len(call.args) < 2:
        return
    raw = const_str(call.args[0]) or ""
    if func == "path":
        template, params = flask_template(raw)
    else:
        template, params = regex_template(raw)
    full = join_paths(prefix, template)
    view = call.args[1]
    if isinstance(view, ir.Call) and render(view.func).endswith("include") and view.args:
        target = view.args[0]
        if isinstance(target, ir.Seq) and target.items:
            target = target.items[0]
        module_name = const_str(target)
        lists = _pattern_lists(source)
        if isinstance(target, ir.Name) and target.id in lists:  # include(_api_urlpatterns) / include((_api_urlpatterns, app_name))
            for item in lists[target.id]:
                if isinstance(item, ir.Call):
                    _pattern(project, source, item, full, settings, routers, out, seen)
        elif module_name is not None:
            included = project.module_named(module_name)
            if included is not None:
                _urlconf(project, included, full, settings, out, seen)
        elif isinstance(target, ir.Attr) and target.name == "urls" and render(target.obj) in routers:
            for route_prefix, viewset in routers[render(target.obj)]:
                _viewset(project, source, viewset, join_paths(full, route_prefix), settings, out)
        return
    if isinstance(view, ir.Call) and isinstance(view.func, ir.Attr) and view.func.name == "as_view":
        cls = _class(project, source, view.func.obj)
        if cls is not None:
            out.extend(_class_view(project, cls, full, params, settings, view))
        return
    ref = _function(project, source, view)
    if ref is not None:
        out.append(_function_view(project, ref, full, params, settings))


def _pattern_lists(source: SourceModule) -> dict[str, tuple[ir.Expr, ...]]:
    """Module-level lists of URL patterns other than ``urlpatterns`` (``_api_urlpatterns = [path(...), ...]``)."""
    lists: dict[str, tuple[ir.Expr, ...]] = {}
    for stmt in source.module.body:
        if isinstance(stmt, ir.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ir.Name) and isinstance(stmt.value, ir.Seq):
            name = stmt.targets[0].id
            lists[name] = (lists.get(name, ()) if stmt.op == "+" else ()) + stmt.value.items
    return lists


def _function(project: Project, source: SourceModule, expr: ir.Expr) -> FunctionRef | None:
    qual = (project.scope(source).qual(expr) or "").replace("()", "")
    local = f"{source.module.name}.{expr.id}" if isinstance(expr, ir.Name) else ""
    return project.functions.get(qual) or project.functions.get(local)


def _class(project: Project, source: SourceModule, expr: ir.Expr) -> tuple[SourceModule, ir.ClassDef, str] | None:
    qual = project.scope(source).qual(expr) or ""
    local = f"{source.module.name}.{expr.id}" if isinstance(expr, ir.Name) else ""
    for candidate in (qual, local):
        if candidate in project.classes:
            owner, cls = project.classes[candidate]
            return owner, cls, candidate
    return None


# --------------------------------------------------------------- function views


def _function_view(project: Project, ref: FunctionRef, path: str, params: list[Param], settings: Settings) -> EntryPoint:
    methods: tuple[str, ...] = ()
    guards = []
    drf = False
    for decorator in ref.node.decorators:
        target = decorator.func if isinstance(decorator, ir.Call) else decorator
        name = render(target).rsplit(".", 1)[-1]
        if name in _METHOD_DECORATORS:
            methods = _METHOD_DECORATORS[name]
        elif name in ("require_http_methods", "api_view") and isinstance(decorator, ir.Call):
            methods = tuple(m.upper() for m in const_strs(decorator.args[0] if decorator.args else None)) or (("GET",) if name == "api_view" else ())
            drf = drf or name == "api_view"
        elif name == "permission_classes" and isinstance(decorator, ir.Call):
            guards.extend(_permission_guards(ref.source, decorator.args[0] if decorator.args else None, decorator.span))
        elif name == "throttle_classes" and isinstance(decorator, ir.Call):
            guards.extend(Guard("rate-limit", n, _loc(ref.source, decorator.span)) for n in _names(decorator.args[0] if decorator.args else None))
        else:
            kind = guard_kind(render(target))
            if kind is not None:
                guards.append(Guard(kind, render(target), _loc(ref.source, getattr(decorator, "span", ref.node.span))))
    unrestricted = not methods
    if not methods:
        methods = _tested_methods(ref.node) or ("GET", "POST")
    if drf:
        if not any(g.kind in ("authentication", "authorization") for g in guards) and not _declares_permissions(ref.node):
            guards.extend(settings.drf_permissions)
        guards.extend(settings.drf_throttles)
    elif settings.csrf is not None and STATE_CHANGING & set(methods) and not any(g.kind == "csrf-exempt" for g in guards):
        guards.append(settings.csrf)
    request = ref.node.params[0].name if ref.node.params else "request"
    entry = entry_point(project, ref, kind="http", framework="django-rest-framework" if drf else "django", methods=methods, path=path,
                        request_params=(request,), params=params, guards=guards)
    if unrestricted and not _tested_methods(ref.node) and not _changes_state(entry):
        return _only_get(project, entry)  # a view that reads nothing posted and writes nothing: a page, not a form
    return entry


def _changes_state(entry: EntryPoint) -> bool:
    return any(p.location in ("body", "form") for p in entry.params) or bool(entry.categories() & {"db-write", "session", "email", "shell"})


def _only_get(project: Project, entry: EntryPoint) -> EntryPoint:
    facts = project.handlers.pop(entry.id)
    guards = tuple(g for g in entry.guards if g.kind != "csrf")
    entry = replace(entry, methods=("GET",), guards=guards)
    project.handlers.setdefault(entry.id, facts)
    return entry


def _declares_permissions(node: ir.FunctionDef) -> bool:
    return any("permission_classes" in render(d.func if isinstance(d, ir.Call) else d) for d in node.decorators)


def _tested_methods(node: ir.FunctionDef) -> tuple[str, ...]:
    """Methods the body compares ``request.method`` with; GET is served too unless the view rejects it."""
    found = set()
    for stmt in walk_statements(node.body):
        if isinstance(stmt, ir.If) and isinstance(stmt.test, ir.Compare) and render(stmt.test.left).endswith(".method"):
            for comp in stmt.test.comparators:
                found.update(m.upper() for m in const_strs(comp))
    return tuple(sorted(found | {"GET"})) if found else ()


# ------------------------------------------------------------------ class views


def _bases(project: Project, owner: SourceModule, cls: ir.ClassDef, depth: int = 0) -> list[str]:
    """Base class names, following project classes up (a project ``BaseView(LoginRequiredMixin, View)``)."""
    names = []
    for base in cls.bases:
        names.append(render(base).rsplit(".", 1)[-1])
        found = _class(project, owner, base) if depth < 4 else None
        if found is not None:
            names.extend(_bases(project, found[0], found[1], depth + 1))
    return names


def _class_attr(cls: ir.ClassDef, name: str) -> ir.Expr | None:
    for stmt in cls.body:
        if isinstance(stmt, ir.Assign) and any(isinstance(t, ir.Name) and t.id == name for t in stmt.targets):
            return stmt.value
    return None


def _class_guards(project: Project, owner: SourceModule, cls: ir.ClassDef, bases: list[str], settings: Settings, drf: bool) -> list[Guard]:
    guards = []
    for base in bases:
        kind = guard_kind(base) if base.endswith("Mixin") else None
        if kind is not None:
            guards.append(Guard(kind, base, _loc(owner, cls.span)))
    for decorator in cls.decorators:  # @method_decorator(login_required, name="dispatch")
        if isinstance(decorator, ir.Call) and render(decorator.func).endswith("method_decorator") and decorator.args:
            for name in _names(decorator.args[0]) or [render(decorator.args[0])]:
                kind = guard_kind(name)
                if kind is not None:
                    guards.append(Guard(kind, name, _loc(owner, decorator.span)))
    permissions = _class_attr(cls, "permission_classes")
    if permissions is not None:
        own = _permission_guards(owner, permissions, cls.span)
        if any(g.name == "DEFAULT_PERMISSION_CLASSES" for g in own):  # api_settings.DEFAULT_PERMISSION_CLASSES + [...]
            own = [g for g in own if g.name != "DEFAULT_PERMISSION_CLASSES"] + settings.drf_permissions
        guards.extend(own)
    elif drf:
        guards.extend(settings.drf_permissions)
    throttles = _class_attr(cls, "throttle_classes")
    guards.extend(Guard("rate-limit", n, _loc(owner, cls.span)) for n in _names(throttles)) if throttles is not None else guards.extend(settings.drf_throttles if drf else [])
    return guards


def _class_view(project: Project, found: tuple[SourceModule, ir.ClassDef, str], path: str, params: list[Param], settings: Settings,
                as_view: ir.Call) -> list[EntryPoint]:
    owner, cls, qual = found
    bases = _bases(project, owner, cls)
    drf = any(b in _DRF_BASES for b in bases)
    guards = _class_guards(project, owner, cls, bases, settings, drf)
    framework = "django-rest-framework" if drf else "django"
    defined = [f for f in cls.body if isinstance(f, ir.FunctionDef) and f.name in _HTTP_METHODS]
    out = []
    csrf = [settings.csrf] if settings.csrf is not None and not drf and not any(g.kind == "csrf-exempt" for g in guards) else []
    for fn in defined:
        ref = project.functions.get(f"{qual}.{fn.name}")
        if ref is None:
            continue
        method = fn.name.upper()
        extra = csrf if method in STATE_CHANGING else []
        body_params = params + (serializer_fields(project, owner, _class_attr(cls, "serializer_class")) if method in ("POST", "PUT", "PATCH") else [])
        out.append(entry_point(project, ref, kind="http", framework=framework, methods=(method,), path=path, request_params=(_request_param(fn),),
                               params=body_params, guards=guards + extra))
    if not defined:
        methods = next((GENERIC_METHODS[b] for b in bases if b in GENERIC_METHODS), ANY_METHOD if drf else ("GET",))
        ref = _synthetic(owner, cls, qual)
        writes = STATE_CHANGING & set(methods)
        body_params = params + (serializer_fields(project, owner, _class_attr(cls, "serializer_class")) if writes else [])
        out.append(entry_point(project, ref, kind="http", framework=framework, methods=methods, path=path, params=body_params,
                               guards=guards + (csrf if writes else [])))
    return out


def _request_param(fn: ir.FunctionDef) -> str:
    return fn.params[1].name if len(fn.params) > 1 else "request"


#: Hooks a generic view or viewset calls on every request: what they do is what the view does (a scoped queryset, a save).
_GENERIC_HOOKS = frozenset({"get_queryset", "get_object", "perform_create", "perform_update", "perform_destroy", "get_serializer_context",
                            "form_valid", "get_context_data", "check_object_permissions", "check_permissions"})


def _synthetic(owner: SourceModule, cls: ir.ClassDef, qual: str) -> FunctionRef:
    """A class view with no handler methods of its own: the class stands for its handler (class attributes, then the hooks it overrides)."""
    body = [s for s in cls.body if not isinstance(s, ir.FunctionDef)]
    for method in cls.body:
        if isinstance(method, ir.FunctionDef) and method.name in _GENERIC_HOOKS:
            body.extend(method.body)
    return FunctionRef(owner, ir.FunctionDef(cls.name, (), tuple(body), (), None, cls.span), qual, None)


def _drf_routers(project: Project, source: SourceModule) -> dict[str, list[tuple[str, ir.Expr]]]:
    """``router.register(r"items", ItemViewSet)`` calls of this urls module, by router variable."""
    routers: dict[str, list[tuple[str, ir.Expr]]] = {}
    for stmt in walk_statements(source.module.body):
        if isinstance(stmt, ir.ExprStmt) and isinstance(stmt.expr, ir.Call) and isinstance(stmt.expr.func, ir.Attr) and stmt.expr.func.name == "register":
            call = stmt.expr
            if len(call.args) >= 2 and const_str(call.args[0]) is not None:
                routers.setdefault(render(call.func.obj), []).append((const_str(call.args[0]) or "", call.args[1]))
    return routers


def _viewset(project: Project, source: SourceModule, expr: ir.Expr, base_path: str, settings: Settings, out: list[EntryPoint]) -> None:
    found = _class(project, source, expr)
    if found is None:
        return
    owner, cls, qual = found
    bases = _bases(project, owner, cls)
    guards = _class_guards(project, owner, cls, bases, settings, True)
    actions = [f.name for f in cls.body if isinstance(f, ir.FunctionDef) and f.name in VIEWSET_ACTIONS]
    for base in bases:
        actions.extend(a for a in VIEWSET_BASES.get(base, ()) if a not in actions)
    lookup = const_str(_class_attr(cls, "lookup_field")) or "pk"
    serializer = serializer_fields(project, owner, _class_attr(cls, "serializer_class"))
    for action in actions:
        method, detail = VIEWSET_ACTIONS[action]
        path = join_paths(base_path, "{" + lookup + "}") + "/" if detail else join_paths(base_path) + "/"
        params = [Param(lookup, "path", None, True)] if detail else []
        if method in ("POST", "PUT", "PATCH"):
            params += serializer
        ref = project.functions.get(f"{qual}.{action}")
        implied = []
        if ref is None:  # the framework's own action: it saves or deletes through the serializer and queryset
            ref = _synthetic(owner, cls, f"{qual}.{action}")
            if method != "GET":
                implied.append(Reach("db-write", f"{cls.name}.{action}", _loc(owner, cls.span)))
        out.append(entry_point(project, ref, kind="http", framework="django-rest-framework", methods=(method,), path=path,
                               request_params=(_request_param(ref.node),) if ref.node.params else (), params=params, guards=guards, implied=implied))


# --------------------------------------------------------------------- settings


def _settings(project: Project) -> Settings:
    settings = Settings()
    for source in project.modules:
        if not source.python or "settings" not in source.path.rsplit("/", 1)[-1] and "/settings/" not in source.path:
            continue
        for stmt in source.module.body:
            if not isinstance(stmt, ir.Assign) or not stmt.targets or not isinstance(stmt.targets[0], ir.Name):
                continue
            name = stmt.targets[0].id
            if name in ("MIDDLEWARE", "MIDDLEWARE_CLASSES"):
                for item in getattr(stmt.value, "items", ()):
                    if const_str(item) == "django.middleware.csrf.CsrfViewMiddleware":
                        settings.csrf = Guard("csrf", "CsrfViewMiddleware", _loc(source, item.span))
            elif name == "REST_FRAMEWORK" and isinstance(stmt.value, ir.Dict):
                for key, value in zip(stmt.value.keys, stmt.value.values):
                    if const_str(key) == "DEFAULT_PERMISSION_CLASSES":
                        settings.drf_permissions = _permission_guards(source, value, stmt.span, dotted=True)
                    elif const_str(key) == "DEFAULT_THROTTLE_CLASSES":
                        settings.drf_throttles = [Guard("rate-limit", n.rsplit(".", 1)[-1], _loc(source, stmt.span)) for n in const_strs(value)]
    return settings


def _names(expr: ir.Expr | None) -> list[str]:
    """Class names in ``[IsAuthenticated, IsOwner]``, ``DEFAULTS + [IsOwner]``; an expression we cannot read is named as such."""
    if isinstance(expr, ir.Seq):
        return [render(i).rsplit(".", 1)[-1] for i in expr.items]
    if isinstance(expr, ir.BinOp):
        return _names(expr.left) + _names(expr.right)
    if expr is None:
        return []
    text = render(expr).rsplit(".", 1)[-1]
    return [text if text != "…" else "(computed classes)"]


def _permission_guards(source: SourceModule, expr: ir.Expr | None, span: ir.Span, dotted: bool = False) -> list[Guard]:
    names = [n.rsplit(".", 1)[-1] for n in const_strs(expr)] if dotted else _names(expr)
    guards = []
    for name in names:
        if name in _PUBLIC:
            continue
        kind = "authentication" if name in ("IsAuthenticated", "IsAuthenticatedOrReadOnly") else "authorization"
        guards.append(Guard(kind, name, _loc(source, getattr(expr, "span", span) or span)))
    return guards


def _loc(source: SourceModule, span: ir.Span) -> Location:
    return Location(source.path, span.line, span.column, span.end_line, span.end_column)
