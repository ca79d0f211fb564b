"""Requests and responses as the text a finding carries: enough to reproduce, never a credential.

Credential headers are masked, bodies are cut, and headers that change on
every run (dates, request ids) are left out so reports stay deterministic.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from bastion.dast.client import Exchange, Request

MAX_EVIDENCE_BODY = 1500
_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "x-api-key", "api-key", "x-auth-token"})
_VOLATILE_HEADERS = frozenset({"date", "x-request-id", "x-correlation-id", "etag", "last-modified", "expires",
                               "x-process-time", "age", "server-timing", "keep-alive", "connection"})


def _clip(text: str) -> str:
    return text if len(text) <= MAX_EVIDENCE_BODY else text[:MAX_EVIDENCE_BODY] + f"\n[... {len(text) - MAX_EVIDENCE_BODY} more characters]"


def request_text(exchange: Exchange, extra_secrets: tuple[str, ...] = ()) -> str:
    """``METHOD /path?query`` then headers and body, with credentials masked."""
    request: Request = exchange.request
    parts = urlsplit(exchange.url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    lines = [f"{request.method} {target} HTTP/1.1", f"Host: {parts.netloc}"]
    for name, value in request.headers:
        lines.append(f"{name}: {mask(name, value)}")
    if request.cookies:
        lines.append("Cookie: <redacted>")
    body = ""
    if request.json is not None:
        body = json.dumps(request.json, sort_keys=True, ensure_ascii=False)
    elif request.form is not None:
        body = "&".join(f"{k}={v}" for k, v in request.form)
    elif request.raw_body is not None:
        body = request.raw_body
    text = "\n".join(lines) + (f"\n\n{_clip(body)}" if body else "")
    for secret in extra_secrets:
        if secret:
            text = text.replace(secret, "<redacted>")
    return text


def response_text(exchange: Exchange, extra_secrets: tuple[str, ...] = ()) -> str:
    if exchange.status == 0:
        return f"no response ({exchange.error or 'timeout'}) after {exchange.elapsed:.1f} s"
    lines = [f"HTTP/1.1 {exchange.status}"]
    for name, value in exchange.headers:
        if name.lower() in _VOLATILE_HEADERS:
            continue
        lines.append(f"{name}: {_cookie_mask(value) if name.lower() == 'set-cookie' else value}")
    text = "\n".join(lines) + (f"\n\n{_clip(exchange.body)}" if exchange.body else "")
    for secret in extra_secrets:
        if secret:
            text = text.replace(secret, "<redacted>")
    return text


def mask(name: str, value: str) -> str:
    return "<redacted>" if name.lower() in _SECRET_HEADERS else value


def _cookie_mask(set_cookie: str) -> str:
    """``name=<redacted>; attributes``: the flags are evidence, the value is a credential."""
    name, _, rest = set_cookie.partition("=")
    _, sep, attributes = rest.partition(";")
    return f"{name}=<redacted>{sep}{attributes}"
