"""What every response shows without a payload: stack traces and debug pages (verbose errors), secrets and
password hashes in data (excessive exposure, with Bastion's secret detectors), missing security headers and
weak cookie flags. Observed on every answer; each candidate is confirmed by sending its request again."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import re2

from bastion.dast.client import Exchange
from bastion.dast.confirm import Signatures
from bastion.dast.context import RunContext
from bastion.dast.spec import Operation

NAME = "passive"
PHASE = "active"

STACK_TRACES = {
    "Python traceback": r"Traceback \(most recent call last\)|File \"[^\"]{1,200}\.py\", line \d+",
    "Werkzeug debugger": r"Werkzeug Debugger|__debugger__",
    "Node.js stack trace": r"(?:\n|<br>)(?:\s|&nbsp;)+at (?:[^\n(]{1,200}\()?(?:/|[A-Za-z]:\\\\)[^\n<]{1,200}\.[cm]?[jt]s:\d+:\d+",
    "Java stack trace": r"(?:\n|<br>)(?:\s|&nbsp;)+at (?:java|javax|org|com)\.[\w.$]+\([\w]+\.java:\d+\)",
    ".NET stack trace": r"\n\s+at System\.[\w.]+\(|Server Error in '/' Application",
    "PHP error": r"(?:Fatal error|Warning|Parse error)</b>: .{1,200} on line <b>\d+|PHP (?:Fatal|Warning|Parse) error",
    "Ruby stack trace": r"\.rb:\d+:in `",
    "Go panic": r"goroutine \d+ \[running\]",
}
_TRACES = Signatures(STACK_TRACES)
SENSITIVE_KEYS = frozenset({
    "password", "passwd", "pwd", "password_hash", "passwordhash", "hashed_password", "pass_hash",
    "secret", "client_secret", "api_key", "apikey", "private_key", "secret_key", "otp_secret", "totp_secret",
    "mfa_secret", "reset_token", "ssn", "credit_card", "card_number", "cvv",
})
_HASH_VALUE = re2.compile(r"^(?:\$2[aby]?\$\d\d\$|\$argon2|pbkdf2_|\$[156]\$|scrypt:|[0-9a-f]{40}$|[0-9a-f]{64}$)")
_VERSION = re2.compile(r"\d+\.\d+")
_SESSIONISH = re2.compile(r"(?i)sess|sid|token|auth|jwt|remember|login")


@dataclass
class _Seen:
    traces: dict[str, tuple[Operation, Exchange, str]] = field(default_factory=dict)
    exposures: dict[str, tuple[Operation, Exchange, list[str]]] = field(default_factory=dict)
    headers: dict[str, list[tuple[Operation, Exchange]]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


def install(ctx: RunContext) -> _Seen:
    """Register the observer; the engine calls :func:`finish` after the active phase to confirm what it saw."""
    seen = _Seen()

    def observe(ctx: RunContext, op: Operation, exchange: Exchange) -> None:
        if exchange.status == 0:
            return
        trace = stack_trace(exchange.body)
        with seen.lock:
            if trace and op.key not in seen.traces:
                seen.traces[op.key] = (op, exchange, trace)
            if exchange.ok and op.key not in seen.exposures and op.key not in ctx.auth.login_keys():
                exposed = exposed_fields(exchange)
                if exposed:
                    seen.exposures[op.key] = (op, exchange, exposed)
            for problem in header_problems(exchange, ctx.client.target.startswith("https")):
                seen.headers.setdefault(problem, []).append((op, exchange))
    ctx.observers.append(observe)
    return seen


def stack_trace(body: str) -> str | None:
    return _TRACES.first(body)


def exposed_fields(exchange: Exchange) -> list[str]:
    """Sensitive keys with values, hash-shaped values, and provider credentials the secrets engine recognises."""
    found: list[str] = []
    _walk(exchange.json(), "", found, 0)
    if exchange.body and len(exchange.body) < 200_000:
        from bastion.secrets import scan_text

        for finding in scan_text(exchange.body, "response.json"):
            found.append(f"{finding.properties.get('detector', finding.rule_id)} credential")
    return sorted(set(found))


def _walk(node, path: str, found: list[str], depth: int) -> None:
    if depth > 8 or len(found) > 20:
        return
    if isinstance(node, dict):
        for key, value in node.items():
            where = f"{path}.{key}" if path else str(key)
            lowered = str(key).lower()
            if isinstance(value, str) and value and (lowered in SENSITIVE_KEYS or
                                                      ("hash" in lowered or "password" in lowered) and _HASH_VALUE.search(value)):
                found.append(where)
            else:
                _walk(value, where, found, depth + 1)
    elif isinstance(node, list):
        for item in node[:20]:
            _walk(item, f"{path}[]", found, depth + 1)


def header_problems(exchange: Exchange, https: bool) -> list[str]:
    """Names of what is missing or weak in this answer's headers (one name per kind of problem)."""
    problems = []
    if not exchange.header("x-content-type-options"):
        problems.append("X-Content-Type-Options")
    if "html" in exchange.content_type:
        csp = exchange.header("content-security-policy") or ""
        if not csp:
            problems.append("Content-Security-Policy")
        if not exchange.header("x-frame-options") and "frame-ancestors" not in csp:
            problems.append("X-Frame-Options")
    if https and not exchange.header("strict-transport-security"):
        problems.append("Strict-Transport-Security")
    for name in ("server", "x-powered-by"):
        value = exchange.header(name) or ""
        if name == "x-powered-by" and value or _VERSION.search(value):
            problems.append(f"version disclosure in {name.title()}")
    for cookie in exchange.header_values("set-cookie"):
        cookie_name = cookie.split("=", 1)[0].strip()
        flags = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
        if _SESSIONISH.search(cookie_name) and "httponly" not in flags:
            problems.append(f"cookie {cookie_name} without HttpOnly")
        if https and "secure" not in flags:
            problems.append(f"cookie {cookie_name} without Secure")
        if "samesite" not in flags:
            problems.append(f"cookie {cookie_name} without SameSite")
    return problems


def run(ctx: RunContext) -> None:
    """Nothing to send: the observer installed by the engine does the work."""


def finish(ctx: RunContext, seen: _Seen) -> None:
    """Confirm each candidate by sending its request again: the same problem must show twice."""
    for op, exchange, trace in sorted(seen.traces.values(), key=lambda t: t[0].key):
        again = ctx.send(op, _strip_auth(exchange.request), ctx.primary, observe=False)
        if stack_trace(again.body) == trace:
            ctx.report("dast-verbose-error", op, None,
                       f"{op.key} answers with a {trace} ({again.status}): internals (paths, code, versions) reach the caller",
                       again, trace=trace)
    for op, exchange, exposed in sorted(seen.exposures.values(), key=lambda t: t[0].key):
        again = ctx.send(op, _strip_auth(exchange.request), ctx.primary, observe=False)
        confirmed = [f for f in exposed if f in exposed_fields(again)]
        if confirmed:
            ctx.report("dast-data-exposure", op, None,
                       f"{op.key} returns {', '.join(confirmed[:6])}: data the client never needs",
                       again, fields=confirmed)
    for problem, hits in sorted(seen.headers.items()):
        op, exchange = min(hits, key=lambda h: h[0].key)
        again = ctx.send(op, _strip_auth(exchange.request), ctx.primary, observe=False)
        if problem in header_problems(again, ctx.client.target.startswith("https")):
            rule = "dast-insecure-cookie" if problem.startswith("cookie ") else "dast-security-headers"
            operations = sorted({o.key for o, _ in hits})
            what = problem if problem.startswith(("cookie ", "version")) else f"missing {problem} header"
            ctx.report(rule, None, problem, f"{what} on {len(operations)} operation(s), e.g. {op.key}",
                       again, path="/", operations=operations[:50])


def _strip_auth(request):
    """The request as built by the check, before the identity's credentials were added (they are added again)."""
    from dataclasses import replace

    return replace(request, headers=tuple((k, v) for k, v in request.headers if k.lower() not in ("authorization", "cookie")))
