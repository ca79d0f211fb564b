"""Weaknesses the Python engine reports under the same rule ids, in their JavaScript forms: template engines with
HTML escaping switched off, request bodies parsed without a size bound, a debugger or dev server open to the network."""

from __future__ import annotations

import re
from typing import Any

from bastion.sast import ir
from bastion.sast.javascript.checks import const, get, has_spread, is_false, is_true, on, options
from bastion.sast.taint import Analyzer, CallEvent


#: Where each template engine takes its options, and the option that turns escaping off (with the value that does).
_ESCAPING = {
    "nunjucks.configure": (-1, "autoescape", False), "nunjucks.Environment": (1, "autoescape", False),
    "swig.setDefaults": (0, "autoescape", False), "swig.Swig": (0, "autoescape", False),
    "handlebars.compile": (1, "noEscape", True), "handlebars.precompile": (1, "noEscape", True),
    "handlebars.create().compile": (1, "noEscape", True),
}


@on(*(f"call:{name}" for name in _ESCAPING))
def autoescape_off(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    """``nunjucks.configure('views', { autoescape: false })``, ``Handlebars.compile(src, { noEscape: true })``:
    every ``{{ value }}`` of every template goes into the page as markup."""
    index, key, off = _ESCAPING[event.qual or ""]
    arg = event.node.args[index] if event.node.args and -len(event.node.args) <= index < len(event.node.args) else None
    opts = options(hooks, arg)
    if opts is None:
        return
    value = get(opts, key)
    if (is_true(value) if off else is_false(value)):
        analyzer.report("template-autoescape-disabled", event.node.span, f"{event.qual}() with {key}: {str(off).lower()}")


#: Body parsers and the size each allows by default (100 kB); what a limit above 50 MB, or none at all, allows is
#: one request the size of the server's memory.
_BODY_PARSERS = frozenset({
    f"{module}.{kind}" for module in ("express", "body-parser") for kind in ("json", "urlencoded", "text", "raw")
})
_MAX_BYTES = 50 * 1024 * 1024
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)b?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4}


def _bytes(expr: Any) -> float | None:
    """A limit as the bytes package reads it (``'100mb'``, ``'1gb'``, ``5e7``); ``Infinity`` is unbounded."""
    if isinstance(expr, ir.Name) and expr.id == "Infinity":
        return float("inf")
    value = const(expr)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    match = _SIZE.match(value) if isinstance(value, str) else None
    return float(match.group(1)) * _UNITS[match.group(2).lower()] if match else None


@on(*(f"call:{name}" for name in _BODY_PARSERS))
def body_limit(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    """``express.json({ limit: '1gb' })``: every request body is read into memory up to that size before any route runs."""
    opts = options(hooks, event.node.args[0] if event.node.args else None)
    if opts is None or has_spread(opts):
        return
    limit = _bytes(get(opts, "limit"))
    if limit is not None and limit > _MAX_BYTES:
        shown = "no limit" if limit == float("inf") else f"a limit of {const(get(opts, 'limit'))}"
        analyzer.report("unbounded-read", event.node.span, f"{event.qual}() parses request bodies with {shown}")


_ALL_INTERFACES = frozenset({"0.0.0.0", "::", "[::]", "*"})


@on("call:inspector.open", "call:node:inspector.open")
def inspector_exposed(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    """``inspector.open(9229, '0.0.0.0')``: the V8 inspector runs any code it is sent, for whoever reaches the port."""
    host = const(event.node.args[1]) if len(event.node.args) > 1 else None
    if host in _ALL_INTERFACES:
        analyzer.report("bind-all-interfaces", event.node.span, f"the Node.js inspector listens on {host}: anyone who reaches the port runs code")


@on("call:webpack-dev-server")
def dev_server_exposed(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    """``new WebpackDevServer({ host: '0.0.0.0' })``: a development server (sources, maps, hot reload) on every interface."""
    opts = options(hooks, event.node.args[0] if event.node.args else None)
    host = const(get(opts, "host"))
    if host in _ALL_INTERFACES or host == "local-ip":
        analyzer.report("bind-all-interfaces", event.node.span, f"webpack-dev-server bound to {host}")


_STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: CSRF middlewares and the option listing the methods they do not check.
_CSRF_IGNORED = {"csurf": "ignoreMethods", "csrf-csrf.doubleCsrf": "ignoredMethods", "tiny-csrf": "ignoredMethods"}


@on(*(f"call:{name}" for name in _CSRF_IGNORED))
def csrf_methods_ignored(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    """``csurf({ ignoreMethods: ['GET', 'POST'] })``: the protection is installed and told not to check the very
    requests a forged form sends. Not using a CSRF middleware at all is not reported (SameSite cookies, token
    headers and APIs without cookies defend otherwise)."""
    opts = options(hooks, event.node.args[0] if event.node.args else None)
    methods = get(opts, _CSRF_IGNORED[event.qual or ""])
    names = {str(const(item)).upper() for item in methods.items} if isinstance(methods, ir.Seq) else set()
    skipped = sorted(names & _STATE_CHANGING)
    if skipped:
        analyzer.report("csrf-disabled", event.node.span, f"CSRF middleware told to skip {', '.join(skipped)} requests")


@on("call:lusca", "call:lusca.csrf")
def lusca_csrf_off(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    """``lusca({ csrf: false, ... })``: the security bundle installed with its CSRF check switched off."""
    opts = options(hooks, event.node.args[0] if event.node.args else None)
    if event.qual == "lusca" and is_false(get(opts, "csrf")):
        analyzer.report("csrf-disabled", event.node.span, "lusca() with csrf: false")
