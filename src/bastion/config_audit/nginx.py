"""nginx checks: TLS, security headers and their inheritance, disclosure, limits, alias traversal, redirects, SSRF."""

from __future__ import annotations

from typing import Iterator

import re2

from bastion.config_audit.base import Emitter
from bastion.config_audit.nginx_parse import Directive
from bastion.config_audit.rules import take
from bastion.core.model import Confidence, Finding

RULES = take("weak-tls-protocol", "weak-tls-cipher", "missing-hsts", "missing-frame-options",
             "missing-content-type-options", "missing-referrer-policy", "missing-csp", "add-header-inheritance",
             "server-tokens-enabled", "directory-listing-enabled", "missing-rate-limit", "missing-body-size-limit",
             "unbounded-request-body", "alias-path-traversal", "http-without-https-redirect",
             "proxy-pass-user-host")
(WEAK_TLS_PROTOCOL, WEAK_TLS_CIPHER, MISSING_HSTS, MISSING_FRAME_OPTIONS, MISSING_CONTENT_TYPE_OPTIONS,
 MISSING_REFERRER_POLICY, MISSING_CSP, HEADER_INHERITANCE, SERVER_TOKENS, AUTOINDEX, MISSING_RATE_LIMIT,
 AUTH_BODY_LIMIT, UNBOUNDED_BODY, ALIAS_TRAVERSAL, HTTP_NO_REDIRECT, PROXY_SSRF) = RULES

_WEAK_PROTOCOLS = {"sslv2", "sslv3", "tlsv1", "tlsv1.1"}
_WEAK_CIPHER_WORDS = ("RC4", "DES", "MD5", "NULL", "EXP", "ANON", "ADH", "AECDH", "LOW", "IDEA", "SEED", "RC2")
_SECURITY_HEADERS = {"strict-transport-security", "x-frame-options", "x-content-type-options", "referrer-policy",
                     "content-security-policy", "permissions-policy"}
_AUTH_LOCATION = re2.compile(
    r"(?i)(?:^|[^a-z0-9])(?:o?auth(?:2|n|z|enticate|entication|orize|orise|orization)?|log[_-]?in|logon|sign[_-]?in"
    r"|sign[_-]?up|register|registration|tokens?|passw(?:or)?ds?|sessions?|otp|2fa|mfa)(?:$|[^a-z0-9])")
_AUTH_BODY_MAX = 1024 * 1024
_SIZE = re2.compile(r"(?i)^(\d{1,12})([kmg]?)$")
_USER_VARIABLE = re2.compile(r"\$\{?(arg_\w+|http_\w+|cookie_\w+|host|args|query_string|request_uri|uri"
                             r"|document_uri|request_body|[1-9])\b")
_PATH_VARIABLE = re2.compile(r"\$\{?(request_uri|uri|document_uri|is_args|args|query_string)\b")
_SET_VARIABLE = re2.compile(r"\$\{?(\w+)")


def check(emit: Emitter, tree: list[Directive]) -> Iterator[Finding]:
    """Every nginx finding for the directives of ``emit.file`` (included files are context only)."""
    mine = emit.file.path
    yield from _server_tokens_default(emit, tree)
    for directive in _walk(tree):
        if directive.file == mine:
            yield from _directive_checks(emit, directive)
        if directive.name == "server" and directive.file == mine and directive.block is not None:
            yield from _server_checks(emit, directive)
        if directive.name in ("location", "server") and directive.file == mine and directive.block is not None:
            yield from _inheritance_check(emit, directive)


def _server_tokens_default(emit: Emitter, tree: list[Directive]) -> Iterator[Finding]:
    """Servers of this file that take outside traffic with server_tokens left at nginx's default (on).

    One finding per outermost block of this file that holds such servers (the ``http`` block when the file
    has one, else each ``server``), since that is where ``server_tokens off`` belongs. A fragment whose
    including ``nginx.conf`` was not found in the scan is reported with low confidence: its http level is
    unknown.
    """
    mine = emit.file.path
    anchors: dict[int, tuple[Directive, Directive]] = {}
    for server in _walk(tree):
        if server.name != "server" or server.file != mine or server.block is None:
            continue
        if not _answers_outside(server) or _inherited(server, "server_tokens") is not None:
            continue
        anchor = server
        while anchor.parent is not None and anchor.parent.file == mine:
            anchor = anchor.parent
        anchors.setdefault(id(anchor), (anchor, server))
    for anchor, server in anchors.values():
        unknown_http = anchor is server and server.parent is None
        where = "this http block" if anchor.name == "http" else "this server or the http block including it"
        yield emit(SERVER_TOKENS, f"server_tokens is not turned off in {where}: nginx's default (on) sends its "
                                  "version in every Server header and error page", anchor.line,
                   confidence=Confidence.LOW if unknown_http else Confidence.MEDIUM)


def _walk(directives: list[Directive]) -> Iterator[Directive]:
    stack = list(reversed(directives))
    while stack:
        directive = stack.pop()
        yield directive
        stack.extend(reversed(directive.block or ()))


def _directive_checks(emit: Emitter, d: Directive) -> Iterator[Finding]:
    args = [a.lower() for a in d.args]
    if d.name == "ssl_protocols":
        weak = [a for a, low in zip(d.args, args) if low in _WEAK_PROTOCOLS]
        if weak:
            yield emit(WEAK_TLS_PROTOCOL, f"ssl_protocols enables {', '.join(weak)}", d.line)
    elif d.name == "ssl_ciphers" and d.args:
        weak = _weak_ciphers(d.args[0])
        if weak:
            yield emit(WEAK_TLS_CIPHER, f"ssl_ciphers enables weak suites: {', '.join(weak)}", d.line)
    elif d.name == "server_tokens" and args[:1] in (["on"], ["build"]):
        yield emit(SERVER_TOKENS, f"server_tokens {d.args[0]} discloses the nginx version", d.line)
    elif d.name == "autoindex" and args[:1] == ["on"]:
        yield emit(AUTOINDEX, "autoindex on lists directory contents", d.line)
    elif d.name == "client_max_body_size" and args[:1] == ["0"]:
        yield emit(UNBOUNDED_BODY, "client_max_body_size 0 removes the request body limit", d.line)
    elif d.name == "alias" and d.args and d.parent is not None and d.parent.name == "location":
        prefix = _location_prefix(d.parent)
        if prefix is not None and not prefix.endswith("/") and d.args[0].endswith("/"):
            yield emit(ALIAS_TRAVERSAL, f"location '{prefix}' lacks a trailing slash but alias '{d.args[0]}' has "
                                        f"one: '{prefix}../' escapes the alias folder", d.line)
    elif d.name == "proxy_pass" and d.args:
        host = _upstream_host(d.args[0])
        variable = _user_controlled(host, d)
        if variable:
            yield emit(PROXY_SSRF, f"proxy_pass host comes from request data (${variable})", d.line)
    elif d.name == "location" and d.block is not None and _AUTH_LOCATION.search(" ".join(d.args)):
        yield from _auth_location_checks(emit, d)


def _auth_location_checks(emit: Emitter, location: Directive) -> Iterator[Finding]:
    """Credential locations need a rate limit and a small body limit, their own or inherited."""
    where = f"location {' '.join(location.args)}"
    if _inherited(location, "limit_req") is None:
        yield emit(MISSING_RATE_LIMIT, f"{where} handles credentials without limit_req", location.line)
    limit = _inherited(location, "client_max_body_size")
    if limit is None:
        yield emit(AUTH_BODY_LIMIT, f"{where} sets no client_max_body_size (nginx's default 1m applies)",
                   location.line)
        return
    size = _size(limit.args[0]) if limit.args else None
    if size is not None and (size == 0 or size > _AUTH_BODY_MAX):
        origin = "" if limit.parent is location else f" inherited from line {limit.line}"
        yield emit(AUTH_BODY_LIMIT, f"{where} accepts bodies of {limit.args[0]}{origin}", location.line)


def _size(text: str) -> int | None:
    """An nginx size (``16k``, ``10m``, ``0``) in bytes; None when it is not one."""
    match = _SIZE.match(text)
    if not match:
        return None
    return int(match.group(1)) * {"": 1, "k": 1024, "m": 1024 ** 2, "g": 1024 ** 3}[match.group(2).lower()]


def _weak_ciphers(spec: str) -> list[str]:
    weak = []
    for item in spec.replace(",", ":").replace(" ", ":").split(":"):
        if not item or item[0] in "!-":
            continue
        name = item.lstrip("+").upper()
        if name == "ALL" or any(word in name for word in _WEAK_CIPHER_WORDS):
            weak.append(item)
    return weak


def _location_prefix(location: Directive) -> str | None:
    """The URI prefix of a prefix location (``location /x``, ``location ^~ /x``); None for regex or exact ones."""
    if len(location.args) == 1:
        return location.args[0] if location.args[0].startswith("/") else None
    if len(location.args) == 2 and location.args[0] == "^~":
        return location.args[1]
    return None


def _upstream_host(target: str) -> str:
    """The host part of a proxy_pass target (``http://$arg_h/path`` -> ``$arg_h``); a bare variable is all host.

    After a host, ``$request_uri`` and its kin are the path: ``http://$svc$uri`` is host ``$svc``.
    """
    rest = target.split("://", 1)[1] if "://" in target else target
    host = rest.split("/", 1)[0]
    head = _PATH_VARIABLE.split(host, 1)[0]
    return head or host


def _user_controlled(text: str, where: Directive, depth: int = 0) -> str | None:
    """The request-controlled variable in ``text``, following ``set $v ...;`` assignments up the scopes."""
    match = _USER_VARIABLE.search(text)
    if match:
        return match.group(1)
    if depth > 4:
        return None
    for name in _SET_VARIABLE.findall(text):
        scope = where.parent
        while scope is not None:
            for setter in scope.children("set"):
                if len(setter.args) == 2 and setter.args[0] in (f"${name}", f"${{{name}}}"):
                    found = _user_controlled(setter.args[1], setter, depth + 1)
                    if found:
                        return found
            scope = scope.parent
    return None


def _inherited(d: Directive, name: str) -> Directive | None:
    """The nearest ``name`` directive in ``d`` or its enclosing blocks (nginx's array-directive inheritance)."""
    scope: Directive | None = d
    while scope is not None:
        found = scope.first(name)
        if found is not None:
            return found
        scope = scope.parent
    return None


def _headers(d: Directive) -> dict[str, Directive]:
    """Header name (lower case) -> its add_header, for the headers set at this level."""
    headers = {}
    for h in d.children("add_header") + d.children("more_set_headers"):
        if h.name == "add_header" and h.args:
            headers[h.args[0].lower()] = h
            if h.args[0].lower() == "content-security-policy" and len(h.args) > 1 and "frame-ancestors" in h.args[1]:
                headers["x-frame-options"] = h
        for arg in h.args if h.name == "more_set_headers" else ():
            headers[arg.lstrip("-").split(":", 1)[0].strip().lower()] = h
    return headers


def _effective_headers(d: Directive | None) -> dict[str, Directive]:
    """The headers nginx sends for a level: its own if it has any, else those of the nearest level that does."""
    while d is not None:
        own = _headers(d)
        if own:
            return own
        d = d.parent
    return {}


def _inheritance_check(emit: Emitter, d: Directive) -> Iterator[Finding]:
    own = _headers(d)
    if not own:
        return
    inherited = _effective_headers(d.parent)
    dropped = sorted(name for name in inherited if name in _SECURITY_HEADERS and name not in own)
    if dropped:
        first = min(h.line for h in own.values() if h.file == emit.file.path) if any(
            h.file == emit.file.path for h in own.values()) else d.line
        yield emit(HEADER_INHERITANCE, f"add_header in this {d.name} drops inherited {', '.join(dropped)}", first)


def _listens(server: Directive) -> list[list[str]]:
    return [[a.lower() for a in d.args] for d in server.children("listen")] or [["80"]]


def _is_tls(server: Directive) -> bool:
    if any(a in ("on",) for d in server.children("ssl") for a in d.args):
        return True
    return any("ssl" in args or args[0].endswith(":443") or args[0] == "443" or "quic" in args
               for args in _listens(server) if args)  # a bare `listen;` (found by the fuzzer) says nothing


def _is_local(args: list[str]) -> bool:
    address = args[0] if args else ""
    return address.startswith(("127.", "localhost", "[::1]", "unix:"))


def _answers_outside(server: Directive) -> bool:
    """Whether the server sends responses to non-local clients (``return 444`` closes without one)."""
    if any(d.args[:1] == ["444"] for d in server.children("return")):
        return False
    return not all(_is_local(args) for args in _listens(server))


_REDIRECTS = ("301", "302", "303", "307", "308")
#: Let's Encrypt's HTTP-01 challenge: the one path a redirect-only port-80 server still serves (a token file).
_ACME_PREFIX = "/.well-known/acme-challenge"


def _redirects_here(block: Directive) -> bool:
    """This block answers with a redirect or no content (``return 301 https://...``, ``return 404``, a rewrite to https)."""
    for d in block.children("return"):
        if d.args and (d.args[0] in (*_REDIRECTS, "444") or d.args[0].startswith(("https://", "4"))):
            return True
    return any(len(d.args) >= 2 and d.args[1].startswith("https://") for d in block.children("rewrite"))


def _redirects(server: Directive) -> bool:
    """A server that only redirects (to HTTPS) or refuses: it serves no page, so it needs neither an HTTPS
    redirect of its own nor browser security headers. Certbot's shape counts (an ``if ($host = ...)`` redirect
    then ``return 404``), and so does a server whose every location redirects but the ACME challenge one."""
    if _redirects_here(server):
        return True
    locations = server.children("location")
    serving = [loc for loc in locations if not _redirects_here(loc) and _location_prefix(loc) != _ACME_PREFIX
               and not (_location_prefix(loc) or "").startswith(_ACME_PREFIX + "/")]
    return bool(locations) and not serving and any(_redirects_here(loc) for loc in locations)


def _server_checks(emit: Emitter, server: Directive) -> Iterator[Finding]:
    if _redirects(server):
        return
    tls = _is_tls(server)
    listens = _listens(server)
    if all(_is_local(args) for args in listens):
        return
    if not tls:
        yield emit(HTTP_NO_REDIRECT, "server listens on plain HTTP and serves content without redirecting to https",
                   server.line)
    headers = _effective_headers(server)
    wanted = [(MISSING_FRAME_OPTIONS, "x-frame-options"), (MISSING_CONTENT_TYPE_OPTIONS, "x-content-type-options"),
              (MISSING_REFERRER_POLICY, "referrer-policy"), (MISSING_CSP, "content-security-policy")]
    if tls:
        wanted.insert(0, (MISSING_HSTS, "strict-transport-security"))
    for rule_, header in wanted:
        if header not in headers:
            yield emit(rule_, f"server never sends {header}", server.line,
                       confidence=Confidence.MEDIUM if tls else Confidence.LOW)
