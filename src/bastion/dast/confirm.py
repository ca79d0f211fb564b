"""Differential confirmation: what makes one answer "the same" as another, and timing proofs.

No check reports from one response. Each sends a second, differential
request: the same probe with a different random value must behave the same,
and a harmless twin of the probe must not.
"""

from __future__ import annotations

import html
import secrets
from dataclasses import dataclass
from typing import Callable

import re2

from bastion.dast.client import Exchange


class Signatures:
    """Named patterns (linear-time RE2) over a response body: which one shows first, in table order."""

    def __init__(self, table: dict[str, str]) -> None:
        self._compiled = {name: re2.compile(pattern) for name, pattern in table.items()}

    def first(self, body: str) -> str | None:
        return next((name for name, pattern in self._compiled.items() if pattern.search(body)), None)


def token(prefix: str = "bstn") -> str:
    """A random marker no server produces by itself."""
    return f"{prefix}{secrets.token_hex(5)}"


def factors() -> tuple[int, int]:
    """Two numbers whose product cannot appear by chance in a page."""
    return 1000 + secrets.randbelow(8999), 1000 + secrets.randbelow(8999)


def echoed_forms(echo: str) -> set[str]:
    """How a server may send our input back: as sent, inside a JSON string, or HTML-escaped (Python's ``html``
    and MarkupSafe/Jinja2's entities differ for quotes: ``&#x27;``/``&quot;`` against ``&#39;``/``&#34;``)."""
    escaped = html.escape(echo)
    return {echo, echo.replace('"', '\\"'), escaped, escaped.replace("&#x27;", "&#39;").replace("&quot;", "&#34;")}


def signature(exchange: Exchange, *echoes: str) -> tuple[int, str]:
    """Status and body with our own inputs removed (servers echo them), whitespace folded."""
    body = exchange.body
    forms = {form for echo in echoes if echo for form in echoed_forms(echo)}
    for form in sorted(forms, key=len, reverse=True):
        body = body.replace(form, "")
    return exchange.status, " ".join(body.split())


def answered(*exchanges: Exchange) -> bool:
    return all(e.status != 0 for e in exchanges)


@dataclass(frozen=True)
class Timing:
    """A timing proof: slow with the delay asked for, fast without it, slow again."""

    slow: Exchange
    fast: Exchange
    again: Exchange


def prove_delay(send: Callable[[float], Exchange], delay: float, baseline: float) -> Timing | None:
    """``send(d)`` asks the server to wait ``d`` seconds; proven when it waits, twice, and not when asked for 0."""
    threshold = baseline + delay * 0.8
    slow = send(delay)
    if slow.elapsed < threshold:
        return None
    fast = send(0)
    if fast.status != 0 and fast.elapsed >= baseline + delay * 0.5:
        fast = send(0)  # one retry: a busy machine delays an answer now and then, a payload delays it every time
    if fast.status == 0 or fast.elapsed >= baseline + delay * 0.5:
        return None
    again = send(delay)
    if again.elapsed < threshold:
        return None
    return Timing(slow, fast, again)
