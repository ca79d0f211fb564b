"""Outgoing connections: HTTP calls that can wait forever, secrets put in URLs, protocols that send credentials
in clear text."""

from __future__ import annotations

from typing import Any

from bastion.sast import ir
from bastion.sast.javascript.checks import const, get, has_spread, is_true, on, options
from bastion.sast.javascript.checks.logged_secrets import named_here
from bastion.sast.javascript.semantics import RESPONSE
from bastion.sast.taint import Analyzer, CallEvent, Value

#: HTTP clients without a default timeout, by where their options object is (axios.post(url, data, config)).
#: The built-in fetch (undici) gives up after 300 s without headers or body data, like httpx: not reported.
_CLIENT_OPTIONS = {
    "axios": 1, "axios.get": 1, "axios.delete": 1, "axios.head": 1, "axios.options": 1, "axios.request": 0,
    "axios.post": 2, "axios.put": 2, "axios.patch": 2,
    "got": 1, "got.get": 1, "got.post": 1, "got.put": 1, "got.patch": 1, "got.delete": 1, "got.head": 1,
    "node-fetch": 1, "node-fetch.default": 1,
}  # fmt: skip
_TIMEOUT_KEYS = ("timeout", "signal")
#: Browser code: a request that hangs there blocks one tab, not a server's workers.
_BROWSER_IMPORTS = ("react", "react-dom", "vue", "svelte", "@angular/core", "preact", "solid-js", "next/navigation", "next/router")


def _browser_code(hooks: Any, analyzer: Analyzer) -> bool:
    path = str(getattr(hooks.file, "path", ""))
    return path.endswith((".jsx", ".tsx", ".vue", ".svelte")) or any(m in _BROWSER_IMPORTS or m.startswith(("@angular/", "react-")) for m in analyzer.imports)


def _timed(hooks: Any, expr: ir.Expr | None) -> bool | None:
    """True when the options object sets a timeout or an abort signal, None when it cannot be seen."""
    opts = options(hooks, expr)
    if expr is not None and opts is None:
        return None
    if opts is not None and has_spread(opts):
        return None
    return opts is not None and any(get(opts, key) is not None for key in _TIMEOUT_KEYS)


@on("store")
def axios_defaults(hooks: Any, analyzer: Analyzer, target: ir.Expr, base: Value, value: Value, span: ir.Span) -> None:
    """``axios.defaults.timeout = 10000`` sets a timeout for every call of the file."""
    if isinstance(target, ir.Attr) and target.name == "timeout" and (base.qual or "").startswith("axios"):
        hooks.state["axios-timeout"] = True


@on(*(f"call:{name}" for name in _CLIENT_OPTIONS))
def missing_timeout(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    qual = event.qual or ""
    if not event.node.args or _browser_code(hooks, analyzer) or (qual.startswith("axios") and hooks.state.get("axios-timeout")):
        return
    index = _CLIENT_OPTIONS[qual]
    first_is_config = qual in ("axios", "axios.request") and options(hooks, event.node.args[0]) is not None
    config = event.node.args[0] if first_is_config else event.node.args[index] if index < len(event.node.args) else None
    if _timed(hooks, config) is False:
        analyzer.report("missing-timeout", event.node.span, f"{qual}() without a timeout or an abort signal can hang forever")


#: Calls whose first argument is a URL sent over the network, or given to the browser to follow.
_URL_CALLS = ("fetch", "node-fetch", "node-fetch.default", "axios", "axios.get", "axios.post", "axios.put", "axios.patch",
              "axios.delete", "axios.head", "got", "got.get", "got.post", "got.put", "got.delete", "undici.request",
              "undici.fetch", "http.get", "http.request", "https.get", "https.request", "superagent.get", "superagent.post",
              "needle", "request", "request.get", "request.post", "ky", "ky.get", "ky.post")
_SECRETS = ("secret", "password")


@on(*(f"call:{name}" for name in _URL_CALLS))
def secret_in_url(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    if event.args and not isinstance(event.node.args[0], ir.Dict):
        analyzer.sink("secret-in-url", named_here(analyzer, event.args[0]), event.node.span, "secret placed in a requested URL", _SECRETS)


@on("call")
def secret_in_redirect(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    if (event.qual or "") == f"{RESPONSE}.redirect" and event.args:
        analyzer.sink("secret-in-url", named_here(analyzer, event.args[-1]), event.node.span, "secret placed in a redirect URL", _SECRETS)


_LOCAL_HOSTS = ("localhost", "127.", "[::1]", "0.0.0.0")


def _credentials(opts: ir.Dict | None) -> bool:
    return opts is not None and any(get(opts, key) is not None for key in ("password", "pass", "auth", "user", "username"))


@on("method:access")
def basic_ftp(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    """basic-ftp ``client.access({ host, user, password })``: plain FTP unless ``secure: true``."""
    if not (event.qual or "").startswith("basic-ftp.Client()"):
        return
    opts = options(hooks, event.node.args[0] if event.node.args else None)
    if opts is not None and not has_spread(opts) and not is_true(get(opts, "secure")) and const(get(opts, "secure")) != "implicit" and not _local(get(opts, "host")):
        analyzer.report("cleartext-protocol", event.node.span, "FTP login without secure: true sends the password in clear text")


@on("call:ftp().connect", "method:connect")
def ftp_or_telnet(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    qual = event.qual or ""
    if not qual.startswith(("ftp().connect", "telnet-client().connect", "telnet-client.Telnet().connect")):
        return
    opts = options(hooks, event.node.args[0] if event.node.args else None)
    if opts is None or has_spread(opts) or _local(get(opts, "host")):
        return
    if qual.startswith("ftp") and not is_true(get(opts, "secure")) and const(get(opts, "secure")) not in ("control", "implicit"):
        analyzer.report("cleartext-protocol", event.node.span, "FTP connection without secure sends credentials and data in clear text")
    elif qual.startswith("telnet"):
        analyzer.report("cleartext-protocol", event.node.span, "Telnet sends credentials and data in clear text")


@on("call:nodemailer.createTransport")
def smtp_without_tls(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    """nodemailer upgrades with STARTTLS when the server offers it, unless ``ignoreTLS: true``."""
    opts = options(hooks, event.node.args[0] if event.node.args else None)
    if opts is not None and is_true(get(opts, "ignoreTLS")) and get(opts, "auth") is not None and not _local(get(opts, "host")):
        analyzer.report("cleartext-protocol", event.node.span, "SMTP login with ignoreTLS: true sends the password in clear text")


def _local(host: Any) -> bool:
    text = const(host)
    return isinstance(text, str) and text.startswith(_LOCAL_HOSTS)


@on(*(f"call:{name}" for name in _URL_CALLS))
def http_with_credentials(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    """``axios.get('http://api.example.com/...', { auth })``: credentials to another host over plain HTTP."""
    url = const(event.node.args[0]) if event.node.args else None
    if not isinstance(url, str) or not url.startswith("http://") or url[7:].startswith(_LOCAL_HOSTS):
        return
    for arg in event.node.args[1:]:
        opts = options(hooks, arg)
        headers = options(hooks, get(opts, "headers")) if opts is not None else None
        if opts is not None and (get(opts, "auth") is not None or (headers is not None and any(
                isinstance(const(k), str) and const(k).lower() in ("authorization", "x-api-key", "cookie") for k in headers.keys))):
            analyzer.report("cleartext-protocol", event.node.span, f"credentials sent to {url.split('/')[2]} over plain http://")
            return


@on("method:connect")
def ssh_host_key(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    """ssh2 ``conn.connect({ host, ... })`` accepts any host key unless ``hostVerifier`` checks it; node-ssh likewise."""
    if not (event.qual or "").startswith(("ssh2.Client().", "node-ssh.NodeSSH().")):
        return
    opts = options(hooks, event.node.args[0] if event.node.args else None)
    if opts is None or has_spread(opts) or _local(get(opts, "host")):
        return
    verifier = get(opts, "hostVerifier")
    if verifier is None:
        analyzer.report("ssh-host-key-unverified", event.node.span, "SSH connection without hostVerifier accepts any host key", confidence="medium")
    elif _always_true(analyzer, verifier):
        analyzer.report("ssh-host-key-unverified", event.node.span, "hostVerifier that always returns true accepts any host key")


def _always_true(analyzer: Analyzer, expr: ir.Expr) -> bool:
    """``() => true`` (lowered to a function of this file whose whole body returns true)."""
    qual = expr.id if isinstance(expr, ir.Name) else None
    fn = analyzer.functions.get(qual) if qual else None
    if fn is None:
        fn = next((f for q, f in analyzer.functions.items() if qual and q.endswith("." + qual)), None)
    body = fn.node.body if fn is not None else ()
    return len(body) == 1 and isinstance(body[0], ir.Return) and is_true(body[0].value)
