"""JSON-lines logs: uvicorn/gunicorn JSON formatters, structlog, pino (and pino-http), winston, Caddy.

Each library names the same things differently (``msg``/``message``/``event``,
``level`` as a word or pino's number, the client under ``remote_addr`` or
``request.remote_ip``); :func:`parse_line` looks each field up by the names the
libraries use and keeps the whole object in ``fields`` for the leak detectors.
A line with a method, a path (or a whole request line: uvicorn's ``request_line``,
a gunicorn JSON ``access_log_format``) and a status is an access record (Caddy,
pino-http, uvicorn's access logger); any other is an application record.
"""

from __future__ import annotations

import json
from typing import Any

from bastion.logs.formats.access import split_request
from bastion.logs.records import LogRecord
from bastion.logs.timeparse import parse_any

_TIME = ("time", "timestamp", "ts", "@timestamp", "asctime", "t", "date", "datetime")
_LEVEL = ("level", "levelname", "severity", "lvl", "log.level", "loglevel")
_MESSAGE = ("msg", "message", "event", "text", "error.message")
_CLIENT = ("remote_addr", "remote_ip", "client_ip", "clientip", "client_addr", "ip", "client", "request.remote_ip",
           "request.client_ip", "req.remoteAddress", "req.remote_addr", "http.client_ip", "network.client.ip")
_FORWARDED = ("x_forwarded_for", "http_x_forwarded_for", "request.headers.X-Forwarded-For", "req.headers.x-forwarded-for")
_METHOD = ("method", "request_method", "request.method", "req.method", "http.method", "http.request.method")
#: A whole request line (``GET /a?b=1 HTTP/1.1``): uvicorn's ``request_line``, gunicorn JSON formats' ``%(r)s``.
_REQUEST_LINE = ("request_line", "request", "http.request_line")
_TARGET = ("uri", "url", "path", "request_uri", "request.uri", "req.url", "http.url", "http.target", "url.original")
_STATUS = ("status", "status_code", "statusCode", "res.statusCode", "response.status", "http.status_code",
           "http.response.status_code")
_AGENT = ("user_agent", "http_user_agent", "userAgent", "request.headers.User-Agent", "req.headers.user-agent",
          "http.useragent", "user_agent.original")
_USER = ("user", "username", "user_name", "login", "email", "account", "user.name", "usr.name", "user_id")
_STACK = ("exc_info", "exception", "stack", "stack_trace", "traceback", "err.stack", "error.stack", "exc_text")
#: pino's numeric levels.
_PINO = {10: "debug", 20: "debug", 30: "info", 40: "warning", 50: "error", 60: "critical"}
_WORDS = {"warn": "warning", "err": "error", "fatal": "critical", "crit": "critical", "panic": "critical",
          "severe": "error", "emerg": "critical", "alert": "critical", "trace": "debug", "notice": "info"}


def lookup(data: dict[str, Any], dotted: str) -> Any:
    """``data["a"]["b"]`` for ``a.b`` (or a literal ``"a.b"`` key); a list's first element stands for it."""
    if dotted in data:
        return data[dotted]
    value: Any = data
    for part in dotted.split("."):
        if isinstance(value, list):
            value = value[0] if value else None
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value[0] if isinstance(value, list) and value and not isinstance(value[0], (dict, list)) else value


def first(data: dict[str, Any], names: tuple[str, ...]) -> Any:
    for name in names:
        value = lookup(data, name)
        if value not in (None, "", [], {}):
            return value
    return None


def level_name(value: Any) -> str:
    if isinstance(value, bool):
        return ""
    if isinstance(value, (int, float)):
        return _PINO.get(int(value) // 10 * 10, "critical" if value > 60 else "debug")
    if isinstance(value, str):
        word = value.strip().lower()
        return _WORDS.get(word, word)
    return ""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def from_object(data: dict[str, Any], text: str, source: str, line: int) -> LogRecord:
    """The record of one decoded JSON log object."""
    method, target, status = first(data, _METHOD), first(data, _TARGET), first(data, _STATUS)
    if not (method and target):
        request = first(data, _REQUEST_LINE)
        if isinstance(request, str) and " " in request.strip():
            method, target = split_request(request.strip())
    is_access = bool(method and target and status)
    message = _text(first(data, _MESSAGE))
    stack = _text(first(data, _STACK))
    if stack and stack not in message:
        message = f"{message}\n{stack}" if message else stack
    try:
        status_code = int(status) if status is not None and not isinstance(status, bool) else 0
    except (TypeError, ValueError):
        status_code = 0
    return LogRecord(
        source=source, line=line, kind="access" if is_access else "app", text=text,
        time=parse_any(first(data, _TIME)), client=_client(first(data, _CLIENT)),
        forwarded_for=_text(first(data, _FORWARDED)), method=_text(method), target=_text(target),
        status=status_code, user_agent=_text(first(data, _AGENT)), user=_text(first(data, _USER)),
        level=level_name(first(data, _LEVEL)), message=message, fields=data,
    )


def _client(value: Any) -> str:
    """An address as logged, without a port (``1.2.3.4:5678``, ``[::1]:80``)."""
    text = _text(value).strip()
    if text.startswith("["):
        return text[1:].split("]", 1)[0]
    if text.count(":") == 1:
        return text.split(":", 1)[0]
    return text


def parse_line(text: str, source: str, line: int) -> LogRecord | None:
    """The record of one JSON log line; None when the line is not a JSON object."""
    stripped = text.strip()
    if not stripped.startswith("{"):
        return None
    try:
        data = json.loads(stripped)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    return from_object(data, text, source, line)
