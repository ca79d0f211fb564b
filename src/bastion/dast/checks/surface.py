"""What the target exposes beside its API: debug and admin consoles at well-known paths, and CORS that lets any
site read answers with the user's credentials."""

from __future__ import annotations

import re2

from bastion.dast.client import Request
from bastion.dast.confirm import signature, token
from bastion.dast.context import RunContext

NAME = "surface"
PHASE = "global"

#: path -> (what it is, a signature its body must show).
DEBUG_PATHS = {
    "/console": ("Werkzeug interactive console", r"Werkzeug|__debugger__|CONSOLE_MODE"),
    "/debug": ("debug page", r"(?i)traceback|environ|SECRET_KEY|DATABASE_URL|debug toolbar|stack"),
    "/debug/vars": ("Go expvar dump", r"\"memstats\"|\"cmdline\""),
    "/debug/pprof/": ("Go pprof profiler", r"Types of profiles available|goroutine"),
    "/actuator/env": ("Spring Boot actuator environment", r"\"propertySources\"|\"activeProfiles\""),
    "/actuator/heapdump": ("Spring Boot heap dump", r"JAVA PROFILE"),
    "/.env": ("dotenv file", r"(?m)^[A-Z][A-Z0-9_]{2,}=\S"),
    "/.git/config": ("git repository metadata", r"\[core\]"),
    "/phpinfo.php": ("phpinfo page", r"PHP Version|phpinfo\(\)"),
    "/server-status": ("Apache server status", r"Apache Server Status"),
    "/__debug__/": ("Django debug toolbar", r"djDebug"),
    "/_profiler": ("Symfony profiler", r"Symfony Profiler"),
    "/env": ("environment dump", r"(?i)\"?(?:PATH|HOME|SECRET_KEY|DATABASE_URL)\"?\s*[:=]"),
    "/debug/env": ("environment dump", r"(?i)\"?(?:PATH|HOME|SECRET_KEY|DATABASE_URL)\"?\s*[:=]"),
    "/api/debug": ("debug endpoint", r"(?i)traceback|environ|SECRET_KEY|DATABASE_URL|\"debug\"\s*:\s*true"),
}
_SIGNATURES = {path: re2.compile(sig) for path, (_, sig) in DEBUG_PATHS.items()}


def run(ctx: RunContext) -> None:
    debug_endpoints(ctx)
    cors(ctx)


def debug_endpoints(ctx: RunContext) -> None:
    paths = set(DEBUG_PATHS) | {o.path for o in ctx.operations if "debug" in o.path.lower() and "{" not in o.path}
    decoy = ctx.client.send(Request("GET", f"/{token()}"))
    for path in sorted(paths):
        what = DEBUG_PATHS.get(path, ("debug endpoint", ""))[0]
        pattern = _SIGNATURES.get(path, _SIGNATURES["/api/debug"])
        first = ctx.client.send(Request("GET", path))
        if not (first.ok and pattern.search(first.body)) or signature(first) == signature(decoy):
            continue
        again = ctx.client.send(Request("GET", path))
        if again.ok and pattern.search(again.body):
            ctx.report("dast-debug-endpoint", None, None,
                       f"GET {path} serves a {what} to anyone (a random path answers {decoy.status})", again, path=path)


def cors(ctx: RunContext) -> None:
    targets = [o for o in ctx.operations if o.method == "GET" and "{" not in o.path and ctx.sendable(o)][:5] or [None]
    for op in targets:
        path = op.path if op else "/"
        origin = f"https://{token()}.example"
        first = ctx.send(op, Request("GET", path, headers=(("Origin", origin),)), ctx.primary, observe=False)
        allowed = first.header("access-control-allow-origin")
        credentials = (first.header("access-control-allow-credentials") or "").lower() == "true"
        if allowed not in (origin, "null"):
            continue
        second_origin = f"https://{token()}.example"
        second = ctx.send(op, Request("GET", path, headers=(("Origin", second_origin),)), ctx.primary, observe=False)
        if second.header("access-control-allow-origin") == second_origin:
            ctx.report("dast-cors", op, None,
                       f"GET {path} reflects any Origin in Access-Control-Allow-Origin"
                       + (" with Access-Control-Allow-Credentials: true: any site can read users' data" if credentials else ""),
                       second, path=path, credentials=credentials)
            return
