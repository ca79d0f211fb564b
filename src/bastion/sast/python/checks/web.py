"""Web route and response checks: servers, cookies set in code, sessions, headers, CSRF exemptions, authentication, validation, responses.

Framework settings (DEBUG, secret keys, cookie flags, hosts, middleware, CORS) are in :mod:`.settings`.
"""

from __future__ import annotations

import re
from typing import Any

from bastion.sast import ir
from bastion.sast.python import fixes
from bastion.sast.python.checks import on, on_call, on_method, responses, settings
from bastion.sast.python.entrypoints import REQUEST, STATE_CHANGING, _annotation_name, route_of
from bastion.sast.python.semantics import statements
from bastion.sast.taint import Analyzer, CallEvent, FunctionInfo, Label, StoreEvent, Value

_ALL_INTERFACES = ("0.0.0.0", "::", "")
_AUTH_WORDS = ("login_required", "auth", "permission", "jwt_required", "token_required", "requires", "roles_", "admin_required",
               "staff_member_required", "user_passes_test", "protected", "authenticated", "current_user", "verify", "api_key", "get_user",
               "_required", "superuser", "current_active_user", "key_and_ip_auth", "_private")  # fmt: skip
#: A view that checks its user in its own body (``if not request.user.is_authenticated``) is authenticated.
_BODY_AUTH = ("is_authenticated", "has_perm", "is_staff", "is_superuser", "PermissionDenied", "abort(401", "abort(403",
              "HttpResponseForbidden", "redirect_to_login", "login_required")
#: How a view that Django routes by name (not by decorator) shows that it changes state.
_DJANGO_WRITES = ("request.POST", 'method == "POST"', "method == 'POST'", "request.method != \"GET\"", "request.body",
                  'method in ("POST"', "method in ['POST'", "request.FILES", ".save()", ".delete()")
_PUBLIC_ROUTES = ("login", "logout", "register", "signup", "sign_up", "token", "auth", "password", "reset", "webhook", "callback",
                  "health", "oauth", "forgot", "verify", "confirm", "public", "contact", "subscribe")  # fmt: skip
def _remote(value: Value | None, rule: str) -> Label | None:
    if value is None:
        return None
    return next((l for l in value.real_labels() if l.kind == "remote" and not l.clears(rule)), None)


def _const_key(target: ir.Expr) -> Any:
    return target.index.value if isinstance(target, ir.Index) and isinstance(target.index, ir.Const) else None


def _key_name(target: ir.Expr) -> Any:
    """A session key's constant name, or the constant text a formatted key starts with
    (``"unsaved_article_title_%d" % article.id``): what the entry is for."""
    index = target.index if isinstance(target, ir.Index) else None
    if isinstance(index, ir.BinOp) and index.op == "%" and isinstance(index.left, ir.Const):
        return index.left.value
    return _const_key(target)


#: Session keys for what the user picks for themself anyway (where to go after login, their last search, how
#: pages are sorted): storing the request's value there crosses no trust boundary. A key that also names
#: identity or rights (``next_user_id``) is still judged.
_USER_CHOICES = frozenset({"next", "query", "search", "q", "filter", "filters", "sort", "order", "page", "theme", "lang",
                           "language", "locale", "layout", "view", "came", "return", "history", "unsaved", "draft"})
_TRUST_WORDS = frozenset({"user", "uid", "role", "admin", "auth", "perm", "permission", "permissions", "group", "staff",
                          "superuser", "level", "account", "owner", "tenant", "price", "total", "verified"})


def _user_choice(key: Any) -> bool:
    parts = set(key.lower().split("_")) if isinstance(key, str) else set()
    return bool(parts & _USER_CHOICES) and not parts & _TRUST_WORDS


@on("stored")
def session_key(hooks, analyzer: Analyzer, event: StoreEvent) -> None:
    """``session[request.form["field"]] = value``: the client picks which server state it writes (CWE-501), the
    user id or role later code trusts included."""
    if event.base.qual not in ("web.session", REQUEST + ".session") or not isinstance(event.key, Value):
        return
    label = _remote(event.key, "untrusted-data-in-session")
    if label is not None:
        analyzer.report("untrusted-data-in-session", event.span, f"{label.origin} used as a session key", label,
                        sink_note="session key")


@on("store")
def stores(hooks, analyzer: Analyzer, target: ir.Expr, base: Value, value: Value, span: ir.Span) -> None:
    if isinstance(target, ir.Attr):
        settings.attribute_setting(hooks, analyzer, target, value, span)
        return
    if not isinstance(target, ir.Index):
        return
    key = _const_key(target)
    if isinstance(target.obj, ir.Attr) and target.obj.name == "config" and isinstance(key, str):
        settings.apply(hooks, analyzer, key, value, span)
        return
    if base.qual in ("web.session", REQUEST + ".session"):
        label = _remote(value, "untrusted-data-in-session") if not _user_choice(_key_name(target)) else None
        if label is not None:
            analyzer.report("untrusted-data-in-session", span, f"{label.origin} stored in the session", label, sink_note="stored in the session")
        guessable = next((l for l in value.real_labels() if l.kind == "weak-random"), None)
        if guessable is not None:
            analyzer.report("insecure-random", span, f"{guessable.origin} stored in the session (a nonce or token there "
                            "must be unguessable)", guessable, sink_note="stored in the session")
        return
    if isinstance(target.obj, ir.Attr) and target.obj.name == "headers" and base.qual != REQUEST + ".headers":
        if isinstance(key, str) and key.lower() == "access-control-allow-origin" and _remote(value, "cors-misconfiguration"):
            analyzer.report("cors-misconfiguration", span, "the request's Origin is reflected as allowed origin")
            return
        label = _remote(value, "header-injection")
        if label is not None:
            rule = "open-redirect" if isinstance(key, str) and key.lower() == "location" else "header-injection"
            if not label.clears(rule):
                analyzer.report(rule, span, f"{label.origin} written into a response header", label, sink_note="response header")


@on_method("run")
@on_call("werkzeug.serving.run_simple", "uvicorn.run")
def run_server(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    debug = event.kwargs.get("debug") or event.kwargs.get("use_debugger")
    if debug is not None and debug.const is True:
        analyzer.report("debug-mode-enabled", event.node.span, "server started in debug mode")
    host = event.kwargs.get("host") if "host" in event.kwargs else (event.arg(0) if event.qual == "werkzeug.serving.run_simple" else None)
    if host is not None and host.const in _ALL_INTERFACES and isinstance(host.const, str):
        analyzer.report("bind-all-interfaces", event.node.span, f"server listens on all interfaces ({host.const or repr('')})")


@on_method("bind")
def socket_bind(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    address = event.arg(0)
    if address is not None and isinstance(address.const, tuple) and address.const and address.const[0] in _ALL_INTERFACES:
        analyzer.report("bind-all-interfaces", event.node.span, "socket bound to all interfaces")


@on_method("set_cookie")
def set_cookie(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    if event.splats or (len(event.args) < 2 and "value" not in event.kwargs):
        return  # forwarding **kwargs, or a cookie jar's set_cookie(cookie)
    for keyword, rule in (("secure", "cookie-without-secure"), ("httponly", "cookie-without-httponly")):
        value = event.kwargs.get(keyword)
        if value is None:
            edit = fixes.add_keyword(hooks.file, event.node, f"{keyword}=True")
            data = {"fix": (f"add {keyword}=True", [edit])} if edit else {}
            analyzer.report(rule, event.node.span, f"cookie set without {keyword}=True", data=data)
        elif value.is_const and not value.const:
            analyzer.report(rule, event.node.span, f"cookie set with {keyword}=False")
    samesite = event.kwargs.get("samesite")
    if samesite is not None and samesite.is_const and samesite.const in (None, "None"):
        analyzer.report("cookie-without-samesite", event.node.span, "cookie set with SameSite=None")


#: Words of a decorator that authenticates a request by something it carries (a key, a token, a signature), not
#: by the browser's cookies: a forged cross-site request has no such credential, so CSRF does not apply.
_CREDENTIAL_AUTH = ("token", "api_key", "apikey", "key_and", "_key_auth", "key_auth", "signature", "signed", "hmac",
                    "basic_auth", "bearer", "webhook_auth")


def _credential_auth(name: str | None) -> bool:
    lowered = (name or "").lower()
    return any(word in lowered for word in _CREDENTIAL_AUTH)


@on("function")
def route_checks(hooks, analyzer: Analyzer, fn: FunctionInfo) -> None:
    route = route_of(analyzer, fn)
    hooks.routes[fn.qual] = route
    names = [_annotation_name(expr.func if isinstance(expr, ir.Call) else expr) for expr in fn.node.decorators]
    for expr, name in zip(fn.node.decorators, names):
        if name == "csrf_exempt" and not any(_credential_auth(other) for other in names):
            analyzer.report("csrf-disabled", getattr(expr, "span", fn.node.span), f"CSRF protection switched off for {fn.name}()")
    if route is None or route.framework != "fastapi":
        return
    start = 1 if fn.cls is not None else 0
    for param in fn.node.params[start:]:
        if _annotation_name(param.annotation) in ("dict", "Dict", "Any", "list", "List", "object", "Mapping"):
            analyzer.report("missing-input-validation", param.span, f"'{param.name}' accepts any JSON; declare a pydantic model")


@on_method("json", "body", "form")
def fastapi_raw_body(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    fn = analyzer.current_function
    route = hooks.routes.get(fn.qual) if fn is not None else None
    if route is not None and route.framework == "fastapi" and event.receiver is not None and event.receiver.qual == REQUEST:
        analyzer.report("missing-input-validation", event.node.span, f"request.{event.method}() bypasses FastAPI's typed validation")


@on_method("read")
def unbounded_read(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    if event.args or event.kwargs or event.receiver is None:
        return
    label = next((l for l in event.receiver.real_labels() if l.kind == "remote" and (l.origin in ("request.files", "request.FILES", "request.stream") or "uploaded file" in l.origin)), None)
    if label is None:
        return
    text = hooks.file.text
    if "MAX_CONTENT_LENGTH" in text or "DATA_UPLOAD_MAX_MEMORY_SIZE" in text or "max_size" in text:
        return
    analyzer.report("unbounded-read", event.node.span, f"{label.origin} read whole without a size limit", label, sink_note="read()")


def _has_auth(fn: FunctionInfo, analyzer: Analyzer) -> bool:
    for expr in fn.node.decorators:
        text = _expr_text(expr)
        if any(w in text for w in _AUTH_WORDS):
            return True
    for param in fn.node.params:
        if param.default is not None and any(w in _expr_text(param.default) for w in _AUTH_WORDS):
            return True
        if param.annotation is not None and any(w in _expr_text(param.annotation) for w in _AUTH_WORDS):
            return True
    if fn.cls is not None:
        bases = " ".join(analyzer.classes.get(fn.cls, ())).lower()
        attrs = analyzer.class_attrs.get(fn.cls, {})
        if "loginrequired" in bases or "permission" in bases or "userpassestest" in bases or "permission_classes" in attrs or "authentication_classes" in attrs:
            return True
    return False


def _body(hooks, fn: FunctionInfo) -> str:
    span = fn.node.span
    return "\n".join(hooks.file.line(n) for n in range(span.line, span.end_line + 1)) if span.line else ""


def _checks_user_in_body(hooks, fn: FunctionInfo) -> bool:
    return any(word in _body(hooks, fn) for word in _BODY_AUTH)


def _helper_not_view(hooks, fn: FunctionInfo, route) -> bool:
    """A function Django would route by its ``request`` parameter that is really a helper: private, nested in
    another function (a decorator's wrapper), or called by the module's own code (views are referenced from
    urls.py, not called)."""
    if route.decorator is not None:
        return False
    if fn.name.startswith("_") or "<locals>" in fn.qual:
        return True
    return len(re.findall(rf"(?<![\w.]){re.escape(fn.name)}\(", hooks.file.text)) > 1 or \
        len(re.findall(rf"\.{re.escape(fn.name)}\(|[^\w.]{re.escape(fn.name)}\((?!request)", hooks.file.text)) > 0


def _expr_text(expr: ir.Expr | None, depth: int = 0) -> str:
    """Names mentioned in a decorator or default, lower-cased: enough to recognise auth helpers."""
    if expr is None or depth > 8:
        return ""
    if isinstance(expr, ir.Name):
        return expr.id.lower()
    if isinstance(expr, ir.Attr):
        return _expr_text(expr.obj, depth + 1) + "." + expr.name.lower()
    if isinstance(expr, ir.Call):
        parts = [_expr_text(expr.func, depth + 1)] + [_expr_text(a, depth + 1) for a in expr.args]
        parts += [(kw.name or "").lower() + "=" + _expr_text(kw.value, depth + 1) for kw in expr.keywords]
        return " ".join(parts)
    if isinstance(expr, (ir.Seq,)):
        return " ".join(_expr_text(i, depth + 1) for i in expr.items)
    if isinstance(expr, ir.Index):
        return _expr_text(expr.obj, depth + 1) + " " + _expr_text(expr.index, depth + 1)
    return ""


def _mount_prefix(analyzer: Analyzer, route: Any) -> str:
    """The prefix of the blueprint or router a route is declared on (``kobo = Blueprint("kobo", __name__,
    url_prefix="/kobo/<auth_token>")`` then ``@kobo.route(...)``): a token in it authenticates every route."""
    func = route.decorator.func if route.decorator is not None else None
    if not isinstance(func, ir.Attr) or not isinstance(func.obj, ir.Name):
        return ""
    made = ir.only_assignment(analyzer.module.body, func.obj.id)
    prefix = made.keyword("url_prefix") or made.keyword("prefix") if isinstance(made, ir.Call) else None
    return prefix.value if isinstance(prefix, ir.Const) and isinstance(prefix.value, str) else ""


#: Flask/Quart hooks that run before every view of the app or blueprint they are registered on; the ``app_``
#: forms of a blueprint run before every view of the app.
_REQUEST_HOOKS = frozenset({"before_request", "before_app_request", "url_value_preprocessor", "app_url_value_preprocessor"})
#: What a hook that authenticates looks at: the session, the logged-in user, a token or a claim.
_HOOK_AUTH_WORDS = ("session", "current_user", "g.user", "login", "auth", "token", "claim", "permission", "password",
                    "is_authenticated", "api_key")
#: How a hook ends the request itself (a bare ``return`` lets the view run).
_HOOK_ENDS = re.compile(r"\babort\(|\braise\s+\w|\bredirect\(|\breturn\s+(?!None\b)[\w(\[{\"']")


def _hook_registrations(analyzer: Analyzer) -> list[tuple[str, str, FunctionInfo]]:
    """(hook kind, object it is registered on, function) for every request hook of the module, by decorator
    (``@bp.url_value_preprocessor``) or by call (``app.before_request(check_login)``)."""
    found = []
    for fn in analyzer.functions.values():
        for expr in fn.node.decorators:
            func = expr.func if isinstance(expr, ir.Call) else expr
            if isinstance(func, ir.Attr) and func.name in _REQUEST_HOOKS and isinstance(func.obj, ir.Name):
                found.append((func.name, func.obj.id, fn))
    for stmt in statements(analyzer.module.body):
        call = stmt.expr if isinstance(stmt, ir.ExprStmt) else None
        if isinstance(call, ir.Call) and isinstance(call.func, ir.Attr) and call.func.name in _REQUEST_HOOKS \
                and isinstance(call.func.obj, ir.Name) and call.args and isinstance(call.args[0], ir.Name):
            fn = analyzer.functions.get(f"{analyzer.module.name}.{call.args[0].id}")
            if fn is not None:
                found.append((call.func.name, call.func.obj.id, fn))
    return found


def _gated_scopes(hooks, analyzer: Analyzer) -> set[str] | None:
    """The objects (an app or a blueprint, by name) whose every view runs behind a request hook that checks the
    user and can end the request (abort, raise, redirect, return a response): ihatemoney's
    ``@main.url_value_preprocessor def pull_project`` redirects to the login form unless the session holds the
    project. None when a hook gates the whole app (registered on the Flask app, or an ``app_`` hook)."""
    scopes: set[str] = set()
    for kind, owner, fn in _hook_registrations(analyzer):
        body = _body(hooks, fn)
        if not _HOOK_ENDS.search(body) or not any(word in body.lower() for word in _HOOK_AUTH_WORDS):
            continue
        made = ir.only_assignment(analyzer.module.body, owner)
        app_wide = kind.startswith(("before_app", "app_")) or (
            isinstance(made, ir.Call) and _annotation_name(made.func) in ("Flask", "Quart"))
        if app_wide:
            return None
        scopes.add(owner)
    return scopes


def _route_owner(route: Any) -> str | None:
    """The name of the app or blueprint a route's decorator is called on (``@bp.route`` -> ``bp``)."""
    func = route.decorator.func if route.decorator is not None else None
    return func.obj.id if isinstance(func, ir.Attr) and isinstance(func.obj, ir.Name) else None


#: A route that checks a password or starts or ends the session is the login or logout endpoint itself.
_SESSION_ENDPOINT = ("check_password", "verify_password", "login_user(", "logout_user(", "session.clear()")


@on("finish")
def authentication(hooks, analyzer: Analyzer) -> None:
    routes = [(analyzer.functions[q], r) for q, r in hooks.routes.items() if r is not None and q in analyzer.functions]
    if not routes or any(fn.name == "before_request" or any("before_request" in _expr_text(d) for d in fn.node.decorators) for fn in analyzer.functions.values()):
        return
    gated = _gated_scopes(hooks, analyzer)
    if gated is None:
        return
    source = hooks.file.text
    if "dependencies=" in source and ("APIRouter(" in source or "FastAPI(" in source) and "Depends(" in source.split("APIRouter(")[-1][:400]:
        return
    routes = [(fn, route) for fn, route in routes if not _helper_not_view(hooks, fn, route)]
    authenticated = [fn for fn, _ in routes if _has_auth(fn, analyzer) or _checks_user_in_body(hooks, fn)]
    if not authenticated:
        return
    for fn, route in routes:
        if not (route.methods & STATE_CHANGING) or fn in authenticated or _route_owner(route) in gated:
            continue
        if route.decorator is None and not any(w in _body(hooks, fn) for w in _DJANGO_WRITES):
            continue  # a Django view found by its signature that only reads: a page, not a state change
        label = f"{fn.name} {_mount_prefix(analyzer, route)}{route.path or ''}".lower()
        if any(w in label for w in _PUBLIC_ROUTES) or any(w in _body(hooks, fn) for w in _SESSION_ENDPOINT):
            continue
        verbs = "/".join(sorted(route.methods & STATE_CHANGING))
        where = route.decorator.span if route.decorator is not None else fn.node.span
        analyzer.report("missing-authentication", where, f"{verbs} route {fn.name}() has no authentication while {authenticated[0].name}() does")


@on("return-expr")
def route_return(hooks, analyzer: Analyzer, value: Value, span: ir.Span, expr: ir.Expr | None) -> None:
    fn = analyzer.current_function
    route = hooks.routes.get(fn.qual) if fn is not None else None
    if route is None:
        return
    exception = next((l for l in value.real_labels() if l.kind == "exception" and not l.clears("error-details-exposed")), None)
    if exception is not None:
        analyzer.report("error-details-exposed", span, "exception details returned to the client", exception, sink_note="returned to the client")
    if route.framework not in ("flask", "quart") or isinstance(expr, (ir.Dict, ir.Call)):
        return
    if (value.qual or "").endswith(responses.RESPONSE_OBJECTS):
        return  # a response object: its constructor judged whether the body is HTML
    body = expr.items[0] if isinstance(expr, ir.Seq) and expr.items else expr
    if isinstance(body, (ir.Dict, ir.Call)) and not isinstance(body, ir.Concat):
        return
    label = _remote(value, "xss")
    if label is not None and (value.built or isinstance(body, (ir.Name, ir.Index, ir.Attr))):
        analyzer.report("xss", span, f"{label.origin} returned as HTML without escaping", label, sink_note="returned as text/html")
