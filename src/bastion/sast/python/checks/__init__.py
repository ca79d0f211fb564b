"""Python-only checks, each subscribing to the events of the one analysis walk.

A check is a function ``check(hooks, analyzer, event)`` registered with
:func:`on_call` (qualified callee names), :func:`on_method` (a method name on
any receiver) or :func:`on` (an event kind: compare, store, assign, return,
function, handler, import). The walk dispatches through dictionaries, so a
call costs one lookup whatever the number of checks.
"""

from __future__ import annotations

import importlib
from collections import defaultdict
from typing import Callable

CALLS: dict[str, list[Callable]] = defaultdict(list)
METHODS: dict[str, list[Callable]] = defaultdict(list)
EVENTS: dict[str, list[Callable]] = defaultdict(list)

_MODULES = ("aliases", "crypto", "crypto_api", "loaders", "web", "settings", "files", "injection", "network", "regexes", "sql",
            "credentials", "responses", "outbound", "redirects", "logged_secrets", "password_storage")
_loaded = False


def on_call(*quals: str) -> Callable[[Callable], Callable]:
    def register(fn: Callable) -> Callable:
        for qual in quals:
            CALLS[qual].append(fn)
        return fn

    return register


def on_method(*names: str) -> Callable[[Callable], Callable]:
    def register(fn: Callable) -> Callable:
        for name in names:
            METHODS[name].append(fn)
        return fn

    return register


def on(*events: str) -> Callable[[Callable], Callable]:
    def register(fn: Callable) -> Callable:
        for event in events:
            EVENTS[event].append(fn)
        return fn

    return register


def load_checks() -> None:
    """Import every check module once, which registers its checks."""
    global _loaded
    if not _loaded:
        for name in _MODULES:
            importlib.import_module(f"{__name__}.{name}")
        _loaded = True
