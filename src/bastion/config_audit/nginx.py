"""nginx checks: TLS, security headers and their inheritance, disclosure, limits, alias traversal, redirects, SSRF."""

from __future__ import annotations

from typing import Iterator

import re2

from bastion.config_audit.base import A01, A02, A04, A05, A10, Emitter, rule
from bastion.config_audit.nginx_parse import Directive
from bastion.model import Confidence, Finding

NGINX = ("nginx",)
_MOZILLA = "https://ssl-config.mozilla.org/"
_NGINX_HEADERS = "https://nginx.org/en/docs/http/ngx_http_headers_module.html#add_header"
_OWASP_HEADERS = "https://owasp.org/www-project-secure-headers/"

WEAK_TLS_PROTOCOL = rule(
    "weak-tls-protocol", "TLS protocol older than 1.2 enabled", "high", "high", (326, 327), A02, NGINX,
    what="`ssl_protocols` enables SSLv2, SSLv3, TLSv1 or TLSv1.1.",
    why="These protocol versions are deprecated (RFC 8996) and open to downgrade and padding-oracle attacks "
        "(POODLE, BEAST); a client that supports them can be forced onto them.",
    vulnerable="ssl_protocols TLSv1 TLSv1.1 TLSv1.2;",
    fixed="ssl_protocols TLSv1.2 TLSv1.3;",
    references=(_MOZILLA, "https://datatracker.ietf.org/doc/html/rfc8996"),
    fix_guidance="Enable only TLSv1.2 and TLSv1.3.")

WEAK_TLS_CIPHER = rule(
    "weak-tls-cipher", "Weak TLS cipher suites enabled", "high", "high", (327, 326), A02, NGINX,
    what="`ssl_ciphers` enables RC4, DES/3DES, MD5, NULL, EXPORT, anonymous or LOW cipher suites, or ALL.",
    why="Weak suites give no or breakable confidentiality (SWEET32, RC4 biases) or no authentication at all.",
    vulnerable="ssl_ciphers ALL:RC4:3DES;",
    fixed="ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305;",
    references=(_MOZILLA, "https://nginx.org/en/docs/http/ngx_http_ssl_module.html#ssl_ciphers"),
    fix_guidance="Use the Mozilla 'intermediate' cipher list.")


def _header_rule(id: str, header: str, title: str, cwe: tuple[int, ...], why: str, value: str,
                 tls_only: bool = False):
    scope = "A TLS `server`" if tls_only else "A `server`"
    return rule(
        id, title, "medium" if id != "missing-referrer-policy" else "low", "medium", cwe, A05, NGINX,
        what=f"{scope} that serves content never sets `{header}` (neither itself nor inherited from `http`).",
        why=why,
        vulnerable="server {\n    listen 443 ssl;\n    location / { proxy_pass http://app; }\n}",
        fixed=f"server {{\n    listen 443 ssl;\n    add_header {header} {value} always;\n"
              "    location / { proxy_pass http://app; }\n}",
        references=(_OWASP_HEADERS, _NGINX_HEADERS),
        fix_guidance=f"Add `add_header {header} {value} always;` at server (or http) level.")


MISSING_HSTS = _header_rule(
    "missing-hsts", "Strict-Transport-Security", "HTTPS server without HSTS", (319, 523),
    "Without HSTS a browser accepts a plain-HTTP first visit, which an on-path attacker can strip of TLS.",
    '"max-age=63072000; includeSubDomains"', tls_only=True)
MISSING_FRAME_OPTIONS = _header_rule(
    "missing-frame-options", "X-Frame-Options", "No clickjacking protection", (1021,),
    "Pages can be framed by any site and the user tricked into clicking through them (clickjacking). "
    "`Content-Security-Policy: frame-ancestors` also satisfies this rule.", '"DENY"')
MISSING_CONTENT_TYPE_OPTIONS = _header_rule(
    "missing-content-type-options", "X-Content-Type-Options", "No X-Content-Type-Options: nosniff", (693,),
    "Browsers may sniff an upload or a JSON response as HTML or script and run it.", '"nosniff"')
MISSING_REFERRER_POLICY = _header_rule(
    "missing-referrer-policy", "Referrer-Policy", "No Referrer-Policy", (200,),
    "Full URLs, with tokens in their query strings, leak to third-party sites in the Referer header.",
    '"strict-origin-when-cross-origin"')
MISSING_CSP = _header_rule(
    "missing-csp", "Content-Security-Policy", "No Content-Security-Policy", (693, 79),
    "Without a CSP any injected script runs; a policy is the last line of defence against XSS.",
    "\"default-src 'self'\"")

HEADER_INHERITANCE = rule(
    "add-header-inheritance", "add_header in a block drops inherited security headers", "medium", "high", (693,),
    A05, NGINX,
    what="A `location` (or `server`) has its own `add_header`, so nginx silently drops every `add_header` of the "
         "enclosing level, including its security headers.",
    why="nginx inherits `add_header` only when the current level defines none: adding a Cache-Control header to "
        "one location removes HSTS, X-Frame-Options and CSP from every response of that location.",
    vulnerable='server {\n    add_header X-Frame-Options "DENY" always;\n'
               '    location /static/ {\n        add_header Cache-Control "public";\n    }\n}',
    fixed='server {\n    add_header X-Frame-Options "DENY" always;\n    location /static/ {\n'
          '        add_header Cache-Control "public";\n        add_header X-Frame-Options "DENY" always;\n    }\n}',
    references=(_NGINX_HEADERS, "https://www.peterbe.com/plog/be-very-careful-with-your-add_header-in-nginx"),
    fix_guidance="Repeat the security headers in the block, or keep them in a snippet included everywhere.")

SERVER_TOKENS = rule(
    "server-tokens-enabled", "nginx version disclosed", "low", "high", (200,), A05, NGINX,
    what="`server_tokens on` (or `build`), or a `server` that accepts outside traffic while neither it nor an "
         "enclosing block (followed into the `nginx.conf` that includes it) sets `server_tokens off` — nginx's "
         "default is on.",
    why="The exact version in every Server header and error page tells an attacker which published "
        "vulnerabilities apply.",
    vulnerable="http {\n    server {\n        listen 80;\n        root /srv/www;\n    }\n}",
    fixed="http {\n    server_tokens off;\n    server {\n        listen 80;\n        root /srv/www;\n    }\n}",
    references=("https://nginx.org/en/docs/http/ngx_http_core_module.html#server_tokens",),
    fix_guidance="Set `server_tokens off;` in the http block.")

AUTOINDEX = rule(
    "directory-listing-enabled", "Directory listing enabled", "medium", "high", (548,), A01, NGINX,
    what="`autoindex on` lists the files of a folder to anyone who asks.",
    why="Listings reveal backups, dumps and files never meant to be linked.",
    vulnerable="location /files/ {\n    autoindex on;\n}", fixed="location /files/ {\n    autoindex off;\n}",
    references=("https://nginx.org/en/docs/http/ngx_http_autoindex_module.html",))

MISSING_RATE_LIMIT = rule(
    "missing-rate-limit", "Login or auth location without rate limiting", "medium", "medium", (307, 770), A04,
    NGINX,
    what="A location for login, auth, token, password or sign-up endpoints has no `limit_req` (its own or "
         "inherited).",
    why="Unthrottled credential endpoints allow password guessing and credential stuffing at full speed.",
    vulnerable="location /api/login {\n    proxy_pass http://app;\n}",
    fixed="limit_req_zone $binary_remote_addr zone=login:10m rate=5r/m;\nlocation /api/login {\n"
          "    limit_req zone=login burst=5 nodelay;\n    client_max_body_size 16k;\n    proxy_pass http://app;\n}",
    references=("https://nginx.org/en/docs/http/ngx_http_limit_req_module.html",
                "https://owasp.org/www-community/controls/Blocking_Brute_Force_Attacks"),
    fix_guidance="Add a `limit_req_zone` and `limit_req` on the location, and a small `client_max_body_size`.")

AUTH_BODY_LIMIT = rule(
    "missing-body-size-limit", "Login or auth location without a small request body limit", "low", "medium",
    (770, 400), A04, NGINX,
    what="A location for login, auth, token, password or sign-up endpoints has no `client_max_body_size` of its "
         "own or inherited, or inherits one above 1m (or 0, unlimited).",
    why="Credential endpoints take a few hundred bytes; accepting megabytes lets each guessing request also cost "
        "the backend parsing and password hashing of a large body, multiplying the damage of a flood.",
    vulnerable="server {\n    client_max_body_size 100m;\n    location /api/login {\n"
               "        limit_req zone=login;\n        proxy_pass http://app;\n    }\n}",
    fixed="server {\n    client_max_body_size 100m;\n    location /api/login {\n        limit_req zone=login;\n"
          "        client_max_body_size 16k;\n        proxy_pass http://app;\n    }\n}",
    references=("https://nginx.org/en/docs/http/ngx_http_core_module.html#client_max_body_size",
                "https://cheatsheetseries.owasp.org/cheatsheets/Denial_of_Service_Cheat_Sheet.html"),
    fix_guidance="Set a small `client_max_body_size` (16k-64k) on credential locations.")

UNBOUNDED_BODY = rule(
    "unbounded-request-body", "Request body size unlimited", "medium", "high", (770, 400), A04, NGINX,
    what="`client_max_body_size 0` disables nginx's limit on request bodies.",
    why="Any client can stream gigabytes to the backend, filling disks and memory.",
    vulnerable="client_max_body_size 0;", fixed="client_max_body_size 10m;",
    references=("https://nginx.org/en/docs/http/ngx_http_core_module.html#client_max_body_size",))

ALIAS_TRAVERSAL = rule(
    "alias-path-traversal", "alias off-by-slash path traversal", "high", "high", (22,), A01, NGINX,
    what="A prefix `location` without a trailing slash uses an `alias` with one: `location /img { alias "
         "/data/img/; }`.",
    why="`/img../secret` matches the location and maps to `/data/img/../secret`: one folder above the alias "
        "becomes readable.",
    vulnerable="location /static {\n    alias /srv/app/static/;\n}",
    fixed="location /static/ {\n    alias /srv/app/static/;\n}",
    references=("https://github.com/yandex/gixy/blob/master/docs/en/plugins/aliastraversal.md",
                "https://nginx.org/en/docs/http/ngx_http_core_module.html#alias"),
    fix_guidance="End the location with '/' whenever the alias ends with '/'.")

HTTP_NO_REDIRECT = rule(
    "http-without-https-redirect", "Plain HTTP served without a redirect to HTTPS", "medium", "medium", (319,),
    A02, NGINX,
    what="A `server` listening on plain HTTP serves content instead of redirecting to HTTPS.",
    why="Cookies, credentials and pages travel in clear text and can be read or rewritten on the network.",
    vulnerable="server {\n    listen 80;\n    location / { proxy_pass http://app; }\n}",
    fixed="server {\n    listen 80;\n    return 301 https://$host$request_uri;\n}",
    references=("https://ssl-config.mozilla.org/",),
    fix_guidance="Serve content only on the TLS server; the port-80 server returns 301 to https.")

PROXY_SSRF = rule(
    "proxy-pass-user-host", "proxy_pass to a host taken from the request", "high", "high", (918,), A10, NGINX,
    what="`proxy_pass` builds its upstream host from request data: `$arg_*`, `$http_*`, `$cookie_*`, `$host`, "
         "a regex capture, or a variable set from them.",
    why="Anyone can make the server send requests to internal services or cloud metadata endpoints (SSRF).",
    vulnerable="location /fetch {\n    proxy_pass http://$arg_target;\n}",
    fixed="location /fetch {\n    proxy_pass http://backend$request_uri;\n}",
    references=("https://github.com/yandex/gixy/blob/master/docs/en/plugins/ssrf.md",
                "https://owasp.org/Top10/A10_2021-Server-Side_Request_Forgery_%28SSRF%29/"),
    fix_guidance="Proxy to a fixed upstream, or map allowed names to hosts with a `map` block.")

RULES = (WEAK_TLS_PROTOCOL, WEAK_TLS_CIPHER, MISSING_HSTS, MISSING_FRAME_OPTIONS, MISSING_CONTENT_TYPE_OPTIONS,
         MISSING_REFERRER_POLICY, MISSING_CSP, HEADER_INHERITANCE, SERVER_TOKENS, AUTOINDEX, MISSING_RATE_LIMIT,
         AUTH_BODY_LIMIT, UNBOUNDED_BODY, ALIAS_TRAVERSAL, HTTP_NO_REDIRECT, PROXY_SSRF)

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
               for args in _listens(server))


def _is_local(args: list[str]) -> bool:
    address = args[0] if args else ""
    return address.startswith(("127.", "localhost", "[::1]", "unix:"))


def _answers_outside(server: Directive) -> bool:
    """Whether the server sends responses to non-local clients (``return 444`` closes without one)."""
    if any(d.args[:1] == ["444"] for d in server.children("return")):
        return False
    return not all(_is_local(args) for args in _listens(server))


def _redirects(server: Directive) -> bool:
    for d in server.children("return"):
        if d.args and (d.args[0] in ("301", "302", "303", "307", "308", "444") or d.args[0].startswith("https://")):
            return True
    for d in server.children("rewrite"):
        if len(d.args) >= 2 and d.args[1].startswith("https://"):
            return True
    return False


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
