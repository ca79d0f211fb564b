"""Server checks: responses (XSS, leaked errors, redirects, files), uploads, CORS, cookies and sessions."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from bastion.sast import ir
from bastion.sast.javascript.checks import const, fixed_origin, fixed_path, get, has_spread, is_false, is_true, on, options, string_parts
from bastion.sast.javascript.checks.crypto import predictable, random_fields
from bastion.sast.javascript.semantics import CONTEXT, REPLY, REQUEST, RESPONSE, WEB, report_taint
from bastion.sast.taint import IN_ARGUMENT_OBJECT, Analyzer, CallEvent, StoreEvent, Value

_BODY = frozenset({"send", "write", "end"})
_ANY_BODY = _BODY | {"json", "jsonp", "render"}
_SESSION_WORDS = ("session", "sess", "sid", "token", "auth", "jwt", "remember", "login")


def _response_method(event: CallEvent) -> str | None:
    qual = event.qual or ""
    for base in (RESPONSE, REPLY, CONTEXT):
        if qual.startswith(base + ".") and "." not in qual[len(base) + 1 :]:
            return qual[len(base) + 1 :]
    return None


_PARSED_OBJECTS = frozenset({"body", "query", "params", "headers", "cookies", "signedCookies"})


def _is_markup(expr: ir.Expr) -> bool:
    """Express serializes objects, arrays, numbers and booleans as JSON: only strings can carry markup.

    ``req.body`` or ``req.query`` sent whole are parsed objects, so they go out as JSON too.
    """
    if isinstance(expr, ir.Attr) and expr.name in _PARSED_OBJECTS and isinstance(expr.obj, ir.Name):
        return False
    return not isinstance(expr, (ir.Dict, ir.Seq, ir.Compare, ir.UnaryOp))


@on("call")
def response_body(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    method = _response_method(event)
    if method is None or not event.args:
        return
    span = event.node.span
    if method in _ANY_BODY:
        random_fields(analyzer, event.node.args[0], event.args[0], span)
        for value in event.args:
            if report_taint(analyzer, "error-details-exposed", value, span, "error details sent to the client", ("exception",)):
                break
    _remember_content_type(hooks, analyzer, event, method)
    if method in _BODY and _is_markup(event.node.args[0]) and not (event.qual or "").startswith(REPLY) and not _typed_not_html(event.node.func) \
            and not _typed_earlier(hooks, analyzer, event):
        report_taint(analyzer, "xss", _as_text(event.args[0]), span, "untrusted data written into the HTTP response", WEB)
    elif method == "render" and len(event.node.args) > 1 and _whole_request_object(event.node.args[1]):
        report_taint(analyzer, "template-injection", event.args[1], span, "request object passed whole as the template's options (view settings injection)", WEB)
    elif method in ("redirect", "location"):
        target = event.node.args[-1]
        if not fixed_path(target) and not _own_host(target):
            report_taint(analyzer, "open-redirect", event.args[-1], span, "redirect to a URL the client controls", WEB)
    elif method in ("sendFile", "download") and event.qual and event.qual.startswith(RESPONSE):
        opts = options(hooks, event.node.args[1] if len(event.node.args) > 1 else None)
        if opts is None and method == "download" and len(event.node.args) > 2:
            opts = options(hooks, event.node.args[2])
        if get(opts, "root") is None:
            report_taint(analyzer, "path-traversal", event.args[0], span, f"file sent with res.{method}()", WEB)
    elif method in ("setHeader", "header", "set", "append") and len(event.args) > 1:
        _header(analyzer, const(event.node.args[0]), event.args[1], span)
    elif method in ("set", "header") and len(event.args) == 1 and isinstance(event.node.args[0], ir.Dict):
        _headers_object(analyzer, event.node.args[0], event.args[0], span)
    elif method == "writeHead" and len(event.node.args) > 1 and isinstance(event.node.args[-1], ir.Dict):
        _headers_object(analyzer, event.node.args[-1], event.args[-1], span)
    elif method == "cookie" and len(event.args) > 1:
        _cookie(hooks, analyzer, event)


def _as_text(value: Value) -> Value:
    """What of ``value`` can be the request's text in a page. Data that reached it only inside an options object
    handed to an API the analysis cannot see (``api.getConfigs({user: req.user}).then(c => res.send(c))``) is not:
    such an API returns its own data, which Express sends as JSON when it is an object."""
    kept = frozenset(l for l in value.labels if IN_ARGUMENT_OBJECT not in l.flags)
    return value if len(kept) == len(value.labels) else replace(value, labels=kept)


def _header(analyzer: Analyzer, name: Any, value: Value, span: ir.Span) -> None:
    """One response header: Access-Control-Allow-Origin is CORS, Location a redirect, any other is header injection."""
    lowered = name.lower() if isinstance(name, str) else ""
    if lowered == "access-control-allow-origin":
        report_taint(analyzer, "cors-misconfiguration", value, span, "Access-Control-Allow-Origin reflects the request", WEB)
    elif lowered == "location":
        report_taint(analyzer, "open-redirect", value, span, "redirect to a URL the client controls", WEB)
    else:
        report_taint(analyzer, "header-injection", value, span, "untrusted data written into a response header", WEB)


def _headers_object(analyzer: Analyzer, headers: ir.Dict, value: Value, span: ir.Span) -> None:
    """``res.set({...})`` / ``res.writeHead(200, {...})``: each constant-named header of the literal, judged alone."""
    for key in headers.keys:
        if isinstance(key, ir.Const) and isinstance(key.value, str):
            entry = value.item(key.value)
            if entry is not None:
                _header(analyzer, key.value, entry, span)


def _cookie(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    predictable(analyzer, event.args[1], event.node.span, "set as a cookie")
    name = const(event.node.args[0])
    sensitive = isinstance(name, str) and any(w in name.lower() for w in _SESSION_WORDS)
    sensitive = sensitive or any(l.kind in ("secret", "password") for l in event.args[1].labels)
    if not sensitive:
        return
    opts = options(hooks, event.node.args[2] if len(event.node.args) > 2 else None)
    if len(event.node.args) > 2 and opts is None or (opts is not None and has_spread(opts)):
        return  # options we cannot see
    _cookie_flags(analyzer, opts, event.node.span, "cookie set with res.cookie()")


def _cookie_flags(analyzer: Analyzer, opts: ir.Dict | None, span: ir.Span, what: str, defaults: tuple[str, ...] = ()) -> None:
    for key, rule in (("httpOnly", "cookie-without-httponly"), ("secure", "cookie-without-secure"), ("sameSite", "cookie-without-samesite")):
        value = get(opts, key)
        if value is None and key in defaults:
            continue
        if value is None or is_false(value) or (key == "sameSite" and isinstance(const(value), str) and const(value).lower() == "none"):
            analyzer.report(rule, span, f"{what} without {key}" if value is None else f"{what} with {key} disabled")


def _not_html(content_type: Any) -> bool | None:
    """Whether a constant Content-Type is something a browser does not render as a page; None when not constant."""
    if not isinstance(content_type, str):
        return None
    lowered = content_type.lower()
    return "html" not in lowered and "svg" not in lowered and "xml" not in lowered


def _receiver_text(event: CallEvent) -> str | None:
    obj = event.node.func.obj if isinstance(event.node.func, ir.Attr) else None
    return obj.id if isinstance(obj, ir.Name) else None


def _remember_content_type(hooks: Any, analyzer: Analyzer, event: CallEvent, method: str) -> None:
    """``res.setHeader('Content-Type', 'application/json')`` as its own statement: what the function's later writes
    to the same response are. A type set to HTML anywhere in the function (or not constant) keeps them judged."""
    args = [const(a) for a in event.node.args]
    if method in ("type", "contentType") and args:
        content_type = args[0]
    elif method in ("setHeader", "set", "header") and len(args) > 1 and isinstance(args[0], str) and args[0].lower() == "content-type":
        content_type = args[1]
    else:
        return
    receiver = _receiver_text(event)
    if receiver is not None:
        types = hooks.state.setdefault("content-types", {})
        key = (id(analyzer.current_function), receiver)
        types[key] = bool(_not_html(content_type)) and types.get(key, True)


def _typed_earlier(hooks: Any, analyzer: Analyzer, event: CallEvent) -> bool:
    receiver = _receiver_text(event)
    return receiver is not None and hooks.state.get("content-types", {}).get((id(analyzer.current_function), receiver), False)


def _typed_not_html(func: ir.Expr) -> bool:
    """``res.type('json').send(x)``, ``res.set('Content-Type', 'text/plain').send(x)``: the chain names a non-HTML type."""
    expr = func.obj if isinstance(func, ir.Attr) else None
    while isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr):
        name, args = expr.func.name, [const(a) for a in expr.args]
        content_type = args[0] if name in ("type", "contentType") and args else args[1] if name in ("set", "header", "setHeader") and len(args) > 1 and isinstance(args[0], str) and args[0].lower() == "content-type" else None
        if isinstance(content_type, str):
            return "html" not in content_type.lower() and "svg" not in content_type.lower()
        expr = expr.func.obj
    return False


_HOST_FIELDS = frozenset({"host", "hostname"})


def _reads_host(expr: ir.Expr) -> bool:
    """``req.hostname``, ``req.host``, ``ctx.host``, ``req.headers.host``, ``req.headers['host']``, ``req.get('host')``."""
    if isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr) and expr.func.name in ("get", "header") and len(expr.args) == 1:
        return isinstance(const(expr.args[0]), str) and const(expr.args[0]).lower() == "host" and isinstance(expr.func.obj, ir.Name)
    if isinstance(expr, ir.Index) and isinstance(expr.obj, ir.Attr) and expr.obj.name == "headers":
        return isinstance(const(expr.index), str) and const(expr.index).lower() == "host" and isinstance(expr.obj.obj, ir.Name)
    if isinstance(expr, ir.Attr) and expr.name in _HOST_FIELDS:
        return isinstance(expr.obj, ir.Name) or (isinstance(expr.obj, ir.Attr) and expr.obj.name == "headers" and isinstance(expr.obj.obj, ir.Name))
    return False


def _own_host(target: ir.Expr) -> bool:
    """``'https://' + req.hostname + req.originalUrl``: the upgrade to HTTPS of the request's own URL. The host is the
    Host header the client sent with this very request; a victim's browser sends the real one, so no link can make
    the redirect leave the site (a redirect for the attacker alone)."""
    parts = string_parts(target)
    if len(parts) < 2 or not isinstance(const(parts[0]), str) or const(parts[0]).lower() not in ("http://", "https://"):
        return False
    return _reads_host(parts[1])


def _whole_request_object(expr: ir.Expr) -> bool:
    """``req.query`` / ``req.body`` itself, or an object literal that spreads it."""
    if isinstance(expr, ir.Attr) and expr.name in _PARSED_OBJECTS and isinstance(expr.obj, ir.Name):
        return True
    return isinstance(expr, ir.Dict) and any(k is None and _whole_request_object(v) for k, v in zip(expr.keys, expr.values))


@on("call:next/server.NextResponse.redirect", "call:next/navigation.redirect", "call:next/navigation.permanentRedirect")
def next_redirect(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    if event.node.args and not fixed_origin(event.node.args[0]):
        report_taint(analyzer, "open-redirect", event.args[0], event.node.span, f"{event.qual.rsplit('.', 1)[-1]}() to a URL the client controls", WEB)


@on("call:express-session", "call:cookie-session")
def session(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    opts = options(hooks, event.node.args[0] if event.node.args else None)
    if opts is None or has_spread(opts):
        return
    span = event.node.span
    secret = get(opts, "secret") or get(opts, "keys")
    if _literal_secret(secret):
        analyzer.report("hardcoded-framework-secret", span, "session secret written in the source")
    cookie = options(hooks, get(opts, "cookie"))
    if event.qual == "cookie-session":
        cookie = opts
    elif cookie is None and get(opts, "cookie") is not None:
        return  # cookie options built elsewhere
    if cookie is None or not has_spread(cookie):
        _cookie_flags(analyzer, cookie, span, "session cookie", defaults=("httpOnly",) if event.qual == "express-session" else ("httpOnly", "sameSite"))


def _literal_secret(expr: Any) -> bool:
    if isinstance(expr, ir.Const):
        return isinstance(expr.value, str) and bool(expr.value)
    if isinstance(expr, ir.Seq):
        return bool(expr.items) and all(_literal_secret(i) for i in expr.items)
    if isinstance(expr, ir.BoolOp):  # process.env.SECRET || 'dev-secret'
        return _literal_secret(expr.values[-1])
    return False


@on("call:cookie-parser")
def cookie_parser(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    if event.node.args and _literal_secret(event.node.args[0]):
        analyzer.report("hardcoded-framework-secret", event.node.span, "cookie signing secret written in the source")


@on("call:jsonwebtoken.sign", "call:jsonwebtoken.verify")
def jwt_secret(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    if len(event.node.args) > 1 and _literal_secret(event.node.args[1]):
        analyzer.report("hardcoded-framework-secret", event.node.span, "JWT signing secret written in the source")


@on("call:cors")
def cors(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    opts = options(hooks, event.node.args[0] if event.node.args else None)
    if opts is None or not is_true(get(opts, "credentials")):
        return
    origin = get(opts, "origin")
    if origin is None or is_true(origin) or const(origin) == "*":
        analyzer.report("cors-misconfiguration", event.node.span, "CORS reflects any origin while allowing credentials")
    elif isinstance(origin, ir.Name) and origin.id in analyzer.functions or (isinstance(origin, ir.Name) and _always_allows(analyzer, origin.id)):
        analyzer.report("cors-misconfiguration", event.node.span, "CORS origin callback allows every origin while allowing credentials")


def _always_allows(analyzer: Analyzer, name: str) -> bool:
    fn = next((f for q, f in analyzer.functions.items() if q.endswith("." + name)), None)
    if fn is None:
        return False
    body = fn.node.body
    return len(body) == 1 and isinstance(body[0], (ir.ExprStmt, ir.Return)) and isinstance(getattr(body[0], "expr", getattr(body[0], "value", None)), ir.Call) and any(
        is_true(a) for a in getattr(body[0], "expr", getattr(body[0], "value", None)).args
    )


@on("stored")
def koa_body(hooks: Any, analyzer: Analyzer, event: StoreEvent) -> None:
    target = event.target
    if isinstance(target, ir.Attr) and target.name == "body" and event.base.qual == CONTEXT:
        report_taint(analyzer, "error-details-exposed", event.value, event.span, "error details sent to the client", ("exception",))
        if not isinstance(event.expr, (ir.Dict, ir.Seq)):  # an object literal is sent as JSON
            report_taint(analyzer, "xss", event.value, event.span, "untrusted data written into the HTTP response", WEB)


#: Session keys whose value is the user's own display choice or a one-time message shown back to them (Python's
#: list in ``sast/python/checks/web.py``, plus the flash-message keys Express apps write by hand): no later code
#: trusts them. Not a stored redirect target (``returnTo``, ``next``): Express apps redirect to it later.
_USER_CHOICES = frozenset({"query", "search", "q", "filter", "filters", "sort", "order", "page", "theme", "lang",
                           "language", "locale", "layout", "view",
                           "success", "error", "errors", "info", "warning", "message", "messages", "flash", "notice", "alert"})
_TRUST_WORDS = frozenset({"user", "uid", "role", "admin", "auth", "perm", "permission", "permissions", "group", "staff",
                          "superuser", "level", "account", "owner", "tenant", "price", "total", "verified"})


def _user_choice(key: Any) -> bool:
    """``req.session.returnTo``, ``req.session.success``: a key named for a choice or a message, none for a grant."""
    if not isinstance(key, str):
        return False
    parts = {p.lower() for p in re.findall(r"[A-Za-z][a-z0-9]*|[A-Z]+(?![a-z])", key.replace("_", " "))}
    return bool(parts & _USER_CHOICES) and not parts & _TRUST_WORDS


@on("stored")
def session_store(hooks: Any, analyzer: Analyzer, event: StoreEvent) -> None:
    """``req.session.role = req.body.role``: the session is server state that later code trusts (CWE-501).

    A Math.random() value stored there (a CSRF nonce, a reset code) must be unguessable whatever its name.
    """
    if event.base.qual not in (REQUEST + ".session", CONTEXT + ".session"):
        return
    if not _user_choice(event.key.const):
        report_taint(analyzer, "untrusted-data-in-session", event.value, event.span, "untrusted data stored in the session", ("remote",))
    if not event.key.is_const:  # req.session[req.body.field] = ...: the client picks which server state it writes
        report_taint(analyzer, "untrusted-data-in-session", event.key, event.span, "untrusted data used as a session key", ("remote",))
    predictable(analyzer, event.value, event.span, "stored in the session (a nonce or token there must be unguessable)")


_UPLOADERS = {
    "multer": ("limits", "fileFilter"),
    "formidable": ("maxFileSize", "filter"),
    "formidable.formidable": ("maxFileSize", "filter"),
    "formidable.IncomingForm": ("maxFileSize", "filter"),
    "busboy": ("limits",),
    "express-fileupload": ("limits",),
}


@on(*(f"call:{name}" for name in _UPLOADERS))
def upload(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    required = _UPLOADERS[event.qual or ""]
    opts = options(hooks, event.node.args[0] if event.node.args else None)
    if event.node.args and opts is None:
        return
    if opts is not None and has_spread(opts):
        return
    missing = [key for key in required if get(opts, key) is None]
    if missing:
        analyzer.report("unrestricted-upload", event.node.span, f"file upload accepted without {' or '.join(missing)}")
