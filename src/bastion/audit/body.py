"""What a handler does: the inputs it reads, the checks it makes itself, the sensitive operations it reaches.

One walk over the handler's IR (nested callbacks included), then over the
project functions it calls, to a small depth: a route calling
``services.delete_user(id)`` reaches the database write inside it. The
request object is the name ``@req`` here whatever the framework calls it
(``flask.request``, Django's ``request`` parameter, Express ``req``, Koa
``ctx``), so one table of containers reads them all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bastion.audit.catalog import categorize, guard_kind
from bastion.audit.model import Guard, Param, Reach
from bastion.audit.names import Scope, bind_assign, const_str, render, statement_exprs, subexpressions, walk_statements
from bastion.audit.project import FunctionRef, Project
from bastion.audit.sources import SourceModule
from bastion.core.model import Location
from bastion.sast import ir

REQUEST = "@req"
#: Globals that are the current request.
REQUEST_GLOBALS = ("flask.request", "quart.request", "werkzeug.local.request")
#: Request attribute (after ``@req.``) -> where its items come from.
CONTAINERS = {
    # Flask / Werkzeug
    "args": "query", "values": "query", "form": "form", "files": "form", "json": "body", "get_json()": "body",
    "headers": "header", "cookies": "cookie", "view_args": "path",
    # Django / DRF
    "GET": "query", "POST": "form", "FILES": "form", "COOKIES": "cookie", "META": "header", "data": "body", "query_params": "query",
    # Starlette / FastAPI
    "path_params": "path", "json()": "body", "form()": "form",
    # Express / Koa / Fastify / Next.js
    "params": "path", "query": "query", "body": "body", "signedCookies": "cookie", "file": "form",
    "request.query": "query", "request.body": "body", "request.headers": "header", "request.files": "form",
    "nextUrl.searchParams": "query", "formData()": "form", "searchParams": "query",
}
_GETTERS = frozenset({"get", "getlist", "getAll", "get_all", "getone", "pop", "get_list"})
_NOT_FIELDS = frozenset({"get", "getlist", "getAll", "keys", "items", "values", "copy", "to_dict", "dict", "has", "entries", "forEach", "length", "lists", "setdefault", "update", "pop", "urlencode"})
_HEADER_GETTERS = frozenset({"get", "header", "getHeader", "headers.get"})
_CONVERTERS = {"int": "int", "float": "float", "bool": "bool", "uuid.UUID": "uuid", "UUID": "uuid", "decimal.Decimal": "decimal",
               "parseInt": "integer", "parseFloat": "number", "Number": "number", "BigInt": "integer", "Boolean": "boolean", "datetime.fromisoformat": "datetime"}
#: Reading any of these means the code knows who the caller is (used for ownership questions).
CALLER_MARKERS = ("current_user", "@req.user", "request.user", "@req.auth", "flask.g.user", "g.user", "@req.session.user", "@req.state.user",
                  "state.user", "getServerSession", "get_current_user", "@req.session.userId", "@req.session.user_id")
_AUTH_TESTS = ("is_authenticated", "is_anonymous", "is_staff", "is_superuser", "has_perm", "has_perms", "isAuthenticated", "is_admin", "isAdmin", "role", "roles")
MAX_DEPTH = 3
_RECORD_WRITES = frozenset({"save", "delete", "update", "destroy", "remove", "set", "increment", "decrement", "restore"})


@dataclass
class Facts:
    """What one handler (and its helpers) was seen doing."""

    params: dict[tuple[str, str], Param] = field(default_factory=dict)
    guards: list[Guard] = field(default_factory=list)
    reaches: list[Reach] = field(default_factory=list)
    caller_refs: list[Location] = field(default_factory=list)
    functions: list[FunctionRef] = field(default_factory=list)  # the handler, then each project function it reaches

    def add_param(self, name: str, location: str, type_: str | None = None, required: bool = False) -> None:
        if not name or len(name) > 80:
            return
        key = (name, location)
        old = self.params.get(key)
        if old is None:
            self.params[key] = Param(name, location, type_, required)
        else:
            self.params[key] = Param(name, location, old.type or type_, old.required or required)


class HandlerWalker:
    """Walks one handler and the project functions it calls."""

    def __init__(self, project: Project):
        self.project = project
        self.facts = Facts()
        self._seen: set[str] = set()
        self._chained: set[int] = set()  # calls inside a reached call's receiver chain: one chain is one operation
        self._records: set[str] = set()  # local names holding rows loaded from the database: their save()/delete() write

    def walk(self, ref: FunctionRef, request_params: dict[str, str], via: tuple[str, ...] = (), depth: int = 0) -> Facts:
        if ref.qual in self._seen or depth > MAX_DEPTH:
            return self.facts
        self._seen.add(ref.qual)
        self.facts.functions.append(ref)
        scope = Scope(self.project.scope(ref.source))
        for name, role in request_params.items():
            scope.names[name] = role
        for stmt in walk_statements(ref.node.body):
            if isinstance(stmt, ir.If):
                self._test_guard(ref.source, scope, stmt, depth)
            for expr in statement_exprs(stmt):
                self._expression(ref, scope, expr, via, depth)
            if isinstance(stmt, ir.Assign) and stmt.op is None:
                self._session_write(ref.source, scope, stmt, via)
                bind_assign(scope, stmt)
                self._note_record(ref.source, stmt)
        return self.facts

    # ----------------------------------------------------------- expressions

    def _expression(self, ref: FunctionRef, scope: Scope, expr: ir.Expr, via: tuple[str, ...], depth: int) -> None:
        source = ref.source
        for node in subexpressions(expr):
            qual = scope.qual(node)
            if qual is not None and any(qual.startswith(m) or f".{m}" in qual for m in CALLER_MARKERS):
                self.facts.caller_refs.append(_loc(source, node))
            if isinstance(node, ir.Call):
                self._call(ref, scope, node, via, depth)
            elif isinstance(node, (ir.Index, ir.Attr)):
                self._input(scope, node)

    def _call(self, ref: FunctionRef, scope: Scope, call: ir.Call, via: tuple[str, ...], depth: int) -> None:
        source = ref.source
        qual = _canonical(scope.qual(call.func))
        if qual and qual.startswith(REQUEST):
            self._input_call(scope, call, qual)
            return
        if qual in _CONVERTERS and call.args:
            self._input(scope, call.args[0], _CONVERTERS[qual])
        method = call.func.name if isinstance(call.func, ir.Attr) else None
        receiver = render(call.func.obj) if isinstance(call.func, ir.Attr) else ""
        if id(call) in self._chained:
            return
        category = categorize(qual, receiver, method, "python" if source.python else "javascript", call)
        if category is None and method in _RECORD_WRITES and isinstance(call.func.obj, ir.Name) and call.func.obj.id in self._records:
            category = "db-write"
        if category is not None:
            self.facts.reaches.append(Reach(category, render(call.func), _loc(source, call), via))
            self._chain(call)
            return
        target = self._project_function(ref, scope, call, qual)
        if target is not None:
            kind = guard_kind(target.node.name) if depth == 0 else None
            if kind in ("authentication", "authorization") and _guard_verb(target.node.name):
                self.facts.guards.append(Guard(kind, target.node.name, _loc(source, call)))
            passed = {p.name: REQUEST for p, a in zip(_own_params(target), call.args) if _canonical(scope.qual(a)) == REQUEST}
            self.walk(target, passed, via + (target.qual,), depth + 1)
            return
        leaf = (qual or render(call.func)).replace("()", "").rsplit(".", 1)[-1]
        kind = guard_kind(leaf)
        if depth == 0 and kind in ("authentication", "authorization") and _guard_verb(leaf):
            self.facts.guards.append(Guard(kind, leaf, _loc(source, call)))

    def _note_record(self, source: SourceModule, stmt: ir.Assign) -> None:
        value = stmt.value.children[0] if isinstance(stmt.value, ir.Opaque) and len(stmt.value.children) == 1 else stmt.value
        if isinstance(value, ir.Call) and any(r.category == "db-read" and r.location.line == value.span.line and r.location.path == source.path
                                              for r in self.facts.reaches[-3:]):
            self._records.update(t.id for t in stmt.targets if isinstance(t, ir.Name))

    def _chain(self, call: ir.Call) -> None:
        node: ir.Expr = call.func
        while isinstance(node, (ir.Attr, ir.Call, ir.Index)):
            if isinstance(node, ir.Call):
                self._chained.add(id(node))
                node = node.func
            else:
                node = node.obj

    def _project_function(self, ref: FunctionRef, scope: Scope, call: ir.Call, qual: str | None) -> FunctionRef | None:
        functions = self.project.functions
        func = call.func
        if isinstance(func, ir.Name):
            local = f"{ref.source.name}.{func.id}"
            if local in functions:
                return functions[local]
        if isinstance(func, ir.Attr) and isinstance(func.obj, ir.Name) and func.obj.id in ("self", "this", "cls") and ref.cls:
            return self.project.method(ref.cls, func.name)
        if qual:
            return functions.get(qual.replace("()", ""))
        return None

    # ----------------------------------------------------------------- inputs

    def _input_call(self, scope: Scope, call: ir.Call, qual: str) -> None:
        """``request.args.get('q', type=int)``, ``req.get('X-Token')``, ``ctx.cookies.get('sid')``."""
        rest = qual[len(REQUEST) + 1 :] if len(qual) > len(REQUEST) else ""
        container, _, getter = rest.rpartition(".")
        name = const_str(call.args[0]) if call.args else None
        if name is None:
            return
        type_expr = call.keyword("type")
        type_name = render(type_expr) if type_expr is not None else None
        if container in CONTAINERS and getter in _GETTERS:
            location = CONTAINERS[container]
            self.facts.add_param(_header_name(name) if location == "header" else name, location, type_name)
        elif container == "cookies" and getter == "get":
            self.facts.add_param(name, "cookie", type_name)
        elif rest in _HEADER_GETTERS:
            self.facts.add_param(_header_name(name), "header", type_name)

    def _input(self, scope: Scope, node: ir.Expr, type_name: str | None = None) -> None:
        """``request.form['name']`` (required: a missing key is a 400), ``req.body.name``, ``data['x']`` for ``data = request.get_json()``."""
        if isinstance(node, ir.Call):
            qual = _canonical(scope.qual(node.func))
            if qual and qual.startswith(REQUEST + ".") and node.args and const_str(node.args[0]) is not None:
                rest = qual[len(REQUEST) + 1 :]
                container, _, getter = rest.rpartition(".")
                if container in CONTAINERS and getter in _GETTERS:
                    location = CONTAINERS[container]
                    name = const_str(node.args[0]) or ""
                    self.facts.add_param(_header_name(name) if location == "header" else name, location, type_name)
            return
        if isinstance(node, ir.Index):
            name = const_str(node.index)
            base = _canonical(scope.qual(node.obj))
            required = True
        elif isinstance(node, ir.Attr):
            name = node.name if node.name not in _NOT_FIELDS else None
            base = _canonical(scope.qual(node.obj))
            required = False
        else:
            return
        if name is None or base is None or not base.startswith(REQUEST + "."):
            return
        container = base[len(REQUEST) + 1 :]
        location = CONTAINERS.get(container)
        if location is None:
            return
        if container == "META":
            if not name.startswith("HTTP_"):
                return
            name = name[5:].replace("_", "-").title()
        if location == "header":
            name = _header_name(name)
        self.facts.add_param(name, location, type_name, required and isinstance(node, ir.Index) and container in ("form", "args", "json", "get_json()", "GET", "POST", "data", "FILES", "files"))

    # ----------------------------------------------------------------- guards

    def _test_guard(self, source: SourceModule, scope: Scope, stmt: ir.If, depth: int) -> None:
        """``if not current_user.is_authenticated: abort(401)`` and the like, at the top level of the handler."""
        if depth > 1:
            return
        for node in subexpressions(stmt.test):
            if isinstance(node, ir.Call) and render(node.func).rsplit(".", 1)[-1] in _SECRET_CHECKS:
                self.facts.guards.append(Guard("authentication", f"{render(node.func)} check", _loc(source, node)))
                return
            if isinstance(node, ir.Compare) and any(op in ("==", "!=") for op in node.ops) and any(
                    _secret_name(side, source.python) for side in (node.left, *node.comparators)):
                self.facts.guards.append(Guard("authentication", "shared-secret comparison", _loc(source, node)))
                return
            if isinstance(node, ir.Attr) and node.name in _AUTH_TESTS:
                kind = "authentication" if node.name in ("is_authenticated", "is_anonymous", "isAuthenticated") else "authorization"
                self.facts.guards.append(Guard(kind, f"{render(node)} check", _loc(source, node)))
                return

    def _session_write(self, source: SourceModule, scope: Scope, stmt: ir.Assign, via: tuple[str, ...]) -> None:
        for target in stmt.targets:
            base = target.obj if isinstance(target, (ir.Index, ir.Attr)) else None
            qual = _canonical(scope.qual(base)) if base is not None else None
            if qual and (qual.startswith(("flask.session", "quart.session", REQUEST + ".session", REQUEST + ".cookies"))):
                self.facts.reaches.append(Reach("session", render(target), _loc(source, target), via))


_SECRET_CHECKS = frozenset({"compare_digest", "timingSafeEqual", "check_password_hash", "verify_password", "check_password", "safe_str_cmp"})


def _secret_name(expr: ir.Expr, python: bool) -> bool:
    """A name holding a token, key or signature (the SAST frontends' vocabulary)."""
    from bastion.sast.javascript.semantics import name_class as js_name_class
    from bastion.sast.python.semantics import name_class as py_name_class

    leaf = expr.id if isinstance(expr, ir.Name) else expr.name if isinstance(expr, ir.Attr) else ""
    return bool(leaf) and (py_name_class if python else js_name_class)(leaf) in ("secret", "token")


def _canonical(qual: str | None) -> str | None:
    """``flask.request.args`` -> ``@req.args``; Koa's ``@req.request.body`` stays as the container table names it."""
    if qual is None:
        return None
    for prefix in REQUEST_GLOBALS:
        if qual == prefix or qual.startswith(prefix + "."):
            return REQUEST + qual[len(prefix) :]
    return qual


def _guard_verb(name: str) -> bool:
    """Calls that check rather than do: ``require_owner(...)``, ``verifyToken(...)``, ``getServerSession(...)``."""
    lowered = name.lower().lstrip("_")
    return lowered.startswith(("check", "require", "ensure", "verify", "assert", "authorize", "authorise", "authenticate", "get_current_user",
                               "getcurrentuser", "getserversession", "has_perm", "has_permission", "haspermission", "is_owner", "isowner", "can_", "protect"))


def _own_params(ref: FunctionRef) -> list[ir.Param]:
    params = list(ref.node.params)
    if ref.cls is not None and params and params[0].name in ("self", "cls", "this"):
        params = params[1:]
    return params


def _header_name(name: str) -> str:
    return "-".join(part[:1].upper() + part[1:].lower() for part in name.split("-")) if name else name


def _loc(source: SourceModule, node: ir.Expr | ir.Stmt) -> Location:
    span = getattr(node, "span", None) or ir.NOSPAN
    return Location(source.path, span.line, span.column, span.end_line, span.end_column)
