"""Every request of a run goes through :class:`Client`: scope, budgets, concurrency and the record of what was sent.

Checks never touch httpx: they describe a request as a :class:`Request` and get
back an :class:`Exchange` (the request, the response and how long it took),
which is also the evidence a finding carries.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx

from bastion.dast.options import DastError
from bastion.dast.scope import Scope

#: How much of a response body a check reads; larger bodies are cut (a DoS guard, not a limit on checks).
MAX_BODY = 512 * 1024


class BudgetExhausted(Exception):
    """The request or time budget is spent: checks stop, the run reports what it covered."""


class TargetUnreachable(DastError):
    """The target did not answer at all (connection refused, DNS failure, timeout on the first request)."""


@dataclass(frozen=True)
class Request:
    """One HTTP request, as data. ``path`` is relative to the target (or an absolute URL in scope)."""

    method: str
    path: str
    query: tuple[tuple[str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    cookies: tuple[tuple[str, str], ...] = ()
    json: Any = None
    form: tuple[tuple[str, str], ...] | None = None
    raw_body: str | None = None
    follow_redirects: bool = False

    def with_headers(self, **extra: str) -> "Request":
        names = {k.lower().replace("_", "-") for k in extra}
        kept = tuple((k, v) for k, v in self.headers if k.lower() not in names)
        return replace(self, headers=kept + tuple((k.replace("_", "-"), v) for k, v in extra.items()))


@dataclass(frozen=True)
class Exchange:
    """A request and what came back. ``status`` 0 means no response (timeout, reset)."""

    request: Request
    url: str
    status: int
    headers: tuple[tuple[str, str], ...]
    body: str
    elapsed: float
    error: str | None = None

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)

    def header_values(self, name: str) -> list[str]:
        name = name.lower()
        return [v for k, v in self.headers if k.lower() == name]

    @property
    def content_type(self) -> str:
        return (self.header("content-type") or "").split(";")[0].strip().lower()

    def json(self) -> Any:
        """The body as JSON, or None when it is not JSON (never raises)."""
        if "json" not in self.content_type and not self.body.lstrip().startswith(("{", "[")):
            return None
        import json

        try:
            return json.loads(self.body)
        except ValueError:
            return None

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


@dataclass
class Counters:
    sent: int = 0
    operations: set[str] = field(default_factory=set)


class Client:
    """A budgeted, scoped, bounded-concurrency HTTP client for one target."""

    def __init__(self, target: str, scope: Scope, *, max_requests: int, max_time: float, concurrency: int,
                 timeout: float, verify_tls: bool = False) -> None:
        self.target = target
        self.scope = scope
        self.max_requests = max_requests
        self.deadline = time.monotonic() + max_time
        self.started = time.monotonic()
        self.counters = Counters()
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(concurrency)
        # TLS is judged by the tls check on its own connection; here we still talk to a self-signed test server.
        self._http = httpx.Client(timeout=timeout, verify=verify_tls, follow_redirects=False,
                                  limits=httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency),
                                  trust_env=False)

    def close(self) -> None:
        self._http.close()

    @property
    def remaining_time(self) -> float:
        return self.deadline - time.monotonic()

    def url_for(self, path: str) -> str:
        return path if "://" in path else f"{self.target}{path if path.startswith('/') else '/' + path}"

    def _reserve(self) -> None:
        with self._lock:
            if self.counters.sent >= self.max_requests:
                raise BudgetExhausted(f"request budget of {self.max_requests} spent")
            if time.monotonic() >= self.deadline:
                raise BudgetExhausted("time budget spent")
            self.counters.sent += 1

    def send(self, request: Request, *, operation: str | None = None, timeout: float | None = None) -> Exchange:
        """Send ``request`` (counted against the budgets); network failures come back as status 0, never raise."""
        url = self.url_for(request.path)
        self.scope.require(url)
        self._reserve()
        if operation:
            with self._lock:
                self.counters.operations.add(operation)
        kwargs: dict[str, Any] = {"params": list(request.query), "headers": list(request.headers)}
        if request.cookies:
            kwargs["headers"].append(("Cookie", "; ".join(f"{k}={v}" for k, v in request.cookies)))
        if request.json is not None:
            kwargs["json"] = request.json
        elif request.form is not None:
            kwargs["content"] = urlencode(list(request.form)).encode()
            kwargs["headers"].append(("Content-Type", "application/x-www-form-urlencoded"))
        elif request.raw_body is not None:
            kwargs["content"] = request.raw_body.encode("utf-8", "surrogatepass")
        wait = min(timeout or self._http.timeout.read or 10.0, max(0.5, self.remaining_time))
        with self._slots:
            started = time.monotonic()
            try:
                with self._http.stream(request.method, url, timeout=wait, follow_redirects=request.follow_redirects,
                                       **kwargs) as response:
                    body = _read_body(response)
            except httpx.HTTPError as exc:
                return Exchange(request, url, 0, (), "", time.monotonic() - started, error=type(exc).__name__)
            elapsed = time.monotonic() - started
        return Exchange(request, str(response.request.url), response.status_code,
                        tuple(response.headers.multi_items()), body, elapsed)

    def probe(self) -> Exchange:
        """The first request of a run: is anything listening? TargetUnreachable if not."""
        exchange = self.send(Request("GET", "/"))
        if exchange.status == 0:
            raise TargetUnreachable(f"cannot reach {self.target}: {exchange.error or 'no response'}")
        return exchange


def _read_body(response: httpx.Response) -> str:
    """At most :data:`MAX_BODY` bytes of the body, read as it streams: a huge answer never fills memory."""
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size >= MAX_BODY:
            break
    data = b"".join(chunks)[:MAX_BODY]
    try:
        return data.decode(response.encoding or "utf-8", errors="replace")
    except LookupError:
        return data.decode("utf-8", errors="replace")


def same_origin(url: str, other: str) -> bool:
    a, b = urlsplit(url), urlsplit(other)
    return (a.scheme, a.hostname, a.port) == (b.scheme, b.hostname, b.port)
