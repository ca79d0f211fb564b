"""``missing-authentication`` for Express-style route tables (Express, express.Router, Koa routers, Fastify): a
state-changing route registered without authentication while other routes of the same router have it (a middleware,
or a handler that checks the caller itself).

As in Python (``sast/python/checks/web.py``): the file shows the app authenticates, and this route was forgotten.
A file whose routes never authenticate says nothing (a public API, a mock server, auth applied where the router is
mounted); a receiver given an authentication middleware with ``use()`` covers all its routes; routes whose path is
public by nature (sign-up, login, password reset, health, webhooks, OAuth callbacks) are not reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bastion.sast import ir
from bastion.sast.javascript.checks import const, nodes, on
from bastion.sast.javascript.checks.bindings import dotted
from bastion.sast.taint import Analyzer, CallEvent

_ROUTE_VERBS = frozenset({"get", "post", "put", "patch", "delete", "del", "all"})
_STATE_CHANGING = frozenset({"post", "put", "patch", "delete", "del"})
#: Words in the name of a middleware (``requireAuth``, ``passport.authenticate('jwt')``, ``needsPermission('x')``,
#: ``ensureLoggedIn()``, ``checkJwt``) that say it decides who the caller is or what they may do.
_AUTH_WORDS = ("auth", "login", "logged", "permission", "perm", "jwt", "token", "protect", "guard", "admin", "role",
               "verify", "session", "acl", "access", "ensure", "require", "restrict", "private", "member", "user",
               "owner", "policy", "scope", "apikey", "signed", "passport", "bearer", "basic")
#: Path words of routes that are public by nature.
_PUBLIC_WORDS = frozenset({"login", "logout", "signin", "signout", "signup", "register", "registration", "reset", "forgot",
                           "password", "verify", "verification", "confirm", "activate", "health", "healthz", "status",
                           "ping", "ready", "readiness", "live", "liveness", "webhook", "webhooks", "hook", "hooks",
                           "callback", "oauth", "oauth2", "auth", "token", "csp", "subscribe", "unsubscribe", "contact",
                           "invite", "invitation", "bootstrap", "setup", "public"})
#: Receivers that are HTTP clients or test drivers, whose post() sends a request instead of registering a route.
_CLIENTS = ("axios", "got", "superagent", "supertest", "request", "ky", "needle", "node-fetch", "undici", "http", "https")
#: Fastify route options whose hooks run before the handler.
_FASTIFY_HOOKS = ("preHandler", "onRequest", "preValidation", "preParsing")


@dataclass(frozen=True)
class _Route:
    receiver: str
    verb: str
    path: str
    authenticated: bool
    span: ir.Span


#: Words of middleware names that limit or log requests without saying who sends them (``authRateLimiter``).
_NOT_AUTH_WORDS = ("limit", "rate", "throttle", "slowdown", "logger", "logging", "cors", "csrf", "parser", "upload")
#: Request fields a handler reads to learn who is calling.
_IDENTITY_FIELDS = frozenset({"user", "session", "auth", "isAuthenticated", "authorization", "identity", "principal"})


def _named_for_auth(text: str) -> bool:
    lowered = text.lower()
    return any(word in lowered for word in _AUTH_WORDS) and not any(word in lowered for word in _NOT_AUTH_WORDS)


def _checks_caller(fn: Any) -> bool:
    """A handler that authenticates itself: it calls a function named for it (``validateSession(req, res)``,
    ``await requireUser(ctx)``) or reads who is calling (``req.user``, ``req.session``, ``req.isAuthenticated()``,
    ``req.headers.authorization``)."""
    for node in nodes(fn.node.body):
        if isinstance(node, ir.Call) and _named_for_auth(dotted(node.func)):
            return True
        if isinstance(node, ir.Attr) and node.name in _IDENTITY_FIELDS:
            return True
    return False


def _only_answers(fn: Any) -> bool:
    """``router.post('/files', (req, res, next) => next(new Error('Filename not provided.')))``: a handler whose
    every call answers the request (``next``, ``res.*``, ``reply.*``, an error's constructor) changes nothing."""
    for node in nodes(fn.node.body):
        if isinstance(node, ir.Call):
            callee = dotted(node.func)
            root = callee.split(".")[0]
            if root not in ("next", "res", "reply", "response") and not callee.endswith("Error"):
                return False
    return True


def _authenticates(expr: ir.Expr) -> bool:
    """A middleware whose name says it checks the caller (a name, a member, a factory call, a list of them)."""
    if isinstance(expr, ir.Seq):
        return any(_authenticates(item) for item in expr.items)
    if isinstance(expr, ir.Dict):  # Fastify: { preHandler: [app.authenticate] }
        return any(isinstance(k, ir.Const) and k.value in _FASTIFY_HOOKS and _authenticates(v) for k, v in zip(expr.keys, expr.values))
    if isinstance(expr, ir.Call):
        return _authenticates(expr.func) or any(isinstance(a, ir.Const) and isinstance(a.value, str) and "auth" in a.value.lower() for a in expr.args)
    return isinstance(expr, (ir.Name, ir.Attr)) and _named_for_auth(dotted(expr))


def _public(path: str) -> bool:
    words = {w.lower() for w in re.split(r"[/\-_.:{}()*?]+", path) if w}
    return bool(words & _PUBLIC_WORDS)


def _routes(hooks: Any) -> dict[ir.Span, _Route]:
    return hooks.state.setdefault("routes", {})


@on("call")
def route_table(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    """Remember each route registration (``app.post('/orders', requireAuth, create)``) and each receiver given an
    authentication middleware (``router.use(requireAuth)``)."""
    func = event.node.func
    if event.method not in _ROUTE_VERBS | {"use"} or not isinstance(func, ir.Attr) or not event.node.args:
        return
    receiver = dotted(func.obj)
    qual = (event.receiver.qual if event.receiver is not None else "") or ""
    if not receiver or qual.split(".")[0].split("(")[0] in _CLIENTS:
        return
    args = event.node.args
    if event.method == "use":
        if any(_authenticates(a) for a in (args[1:] if isinstance(const(args[0]), str) else args)):
            hooks.state.setdefault("authenticated-receivers", set()).add(receiver)
        return
    path = const(args[0])
    handler = event.args[-1].qual if event.args else None
    if not isinstance(path, str) or len(args) < 2 or not (handler in analyzer.functions or isinstance(args[-1], ir.Attr)):
        return
    own = analyzer.functions.get(handler or "")
    if own is not None and _only_answers(own):
        return  # nothing to protect
    authenticated = any(_authenticates(a) for a in args[1:-1]) or (own is not None and _checks_caller(own))
    _routes(hooks)[event.node.span] = _Route(receiver, event.method, path, authenticated, event.node.span)


@on("finish")
def unauthenticated_routes(hooks: Any, analyzer: Analyzer) -> None:
    routes = sorted(_routes(hooks).values(), key=lambda r: (r.span.line, r.span.column))
    covered = hooks.state.get("authenticated-receivers", set())
    for route in routes:
        if route.verb not in _STATE_CHANGING or route.authenticated or route.receiver in covered or _public(route.path):
            continue
        guarded = next((r for r in routes if r.receiver == route.receiver and r.authenticated), None)
        if guarded is not None:  # the same router authenticates its other routes
            analyzer.report("missing-authentication", route.span,
                            f"{route.verb.upper()} {route.path} has no authentication while {guarded.verb.upper()} {guarded.path} of the same router has")
