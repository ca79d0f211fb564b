"""Checks on code, regexes, outbound requests, objects, the DOM and React."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from bastion.sast import ir, regex
from bastion.sast.javascript.checks import const, fixed_origin, get, is_true, nodes, on, options
from bastion.sast.javascript.checks.bindings import receiver_names
from bastion.sast.javascript.semantics import WEB, report_taint
from bastion.sast.taint import Analyzer, CallEvent, StoreEvent, Value

_HTTP_CLIENTS = frozenset({
    "fetch", "node-fetch", "axios", "axios.get", "axios.post", "axios.put", "axios.patch", "axios.delete", "axios.head",
    "axios.request", "got", "got.get", "got.post", "got.put", "got.delete", "undici.request", "undici.fetch", "undici.stream",
    "http.get", "http.request", "https.get", "https.request", "superagent.get", "superagent.post", "needle", "request",
    "request.get", "request.post", "cross-fetch", "isomorphic-fetch", "ky", "ky.get", "ky.post",
})  # fmt: skip
_HTML_PROPERTIES = frozenset({"innerHTML", "outerHTML"})


@on("call:RegExp")
def regexp(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    if not event.node.args:
        return
    pattern = event.args[0]
    if isinstance(pattern.const, str):
        found = regex.redos(pattern.const, regex.js_flags(event.args[1].const if len(event.args) > 1 else ""), newline_end=False)
        if found is not None:
            speed = "exponentially" if found.kind == "exponential" else "in polynomial time"
            attack = f"{found.prefix!r} + {found.pump!r} * n + {found.suffix!r}"
            analyzer.report("redos", event.node.span, f"regular expression can backtrack {speed}: {found.reason}; slow input: {attack}",
                            data={"backtracking": found.kind})


@on("call:setTimeout", "call:setInterval", "call:execScript")  # setImmediate() has no string form: Node throws
def string_timer(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    if not event.args or (event.args[0].qual and event.args[0].qual in analyzer.functions):
        return
    code = event.args[0]
    if not report_taint(analyzer, "code-injection", code, event.node.span, f"string evaluated as code by {event.qual}()") and code.built:
        analyzer.report("code-injection", event.node.span, f"{event.qual}() evaluates a string built at run time", confidence="medium")


@on("call")
def outbound_request(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    if event.qual not in _HTTP_CLIENTS or not event.node.args:
        return
    target = event.node.args[0]
    opts = options(hooks, target)
    if opts is not None:
        target = get(opts, "url") or get(opts, "host") or get(opts, "hostname") or get(opts, "baseURL")
    if target is None or fixed_origin(target):
        return
    report_taint(analyzer, "ssrf", event.args[0], event.node.span, f"server-side request by {event.qual}() to a URL the client controls", ("remote",))


_SHELL_CALLS = frozenset({"child_process.spawn", "child_process.spawnSync", "child_process.execFile", "child_process.execFileSync", "execa", "execa.execa", "execa.execaSync"})


@on("call")
def shell_option(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    if event.qual not in _SHELL_CALLS:
        return
    opts = next((options(hooks, a) for a in event.node.args[1:] if options(hooks, a) is not None), None)
    if opts is None or not is_true(get(opts, "shell")):
        return
    for value in event.args[:2]:
        if report_taint(analyzer, "command-injection", value, event.node.span, f"{event.qual}() with shell: true"):
            return
    if any(v.built for v in event.args[:2]):
        analyzer.report("command-injection", event.node.span, f"{event.qual}() with shell: true and a command built at run time", confidence="medium")


@on("call:execa.execaCommand", "call:execa.execaCommandSync", "call:execa.command", "call:shelljs.exec")
def shell_string(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    if event.args and not report_taint(analyzer, "command-injection", event.args[0], event.node.span, f"shell command run by {event.qual}()") and event.args[0].built:
        analyzer.report("command-injection", event.node.span, f"{event.qual}() runs a command built at run time", confidence="medium")


#: Words in the names query builders and database handles go by (``knex.raw``, ``this.db.raw``, ``trx.raw``,
#: ``Model.knex().raw``): raw() is SQL there, while an IRC, socket or HTTP client's raw() sends a protocol line.
_SQL_HANDLE_WORDS = ("knex", "db", "sql", "query", "trx", "transaction", "conn", "pool", "database", "sequelize",
                     "orm", "model", "builder", "repo", "pg", "bookshelf", "objection")


def _sql_handle(event: CallEvent) -> bool:
    """Whether raw()'s receiver is a query builder or database handle, by its import or its names."""
    if event.receiver is not None and (event.receiver.qual or "").split(".")[0].split("(")[0] in ("knex", "sequelize", "objection", "bookshelf"):
        return True
    return any(word in name.lower() for name in receiver_names(event) for word in _SQL_HANDLE_WORDS)


@on("method:raw")
def knex_raw(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    if event.qual == "String.raw" or not event.args or (event.receiver is not None and event.receiver.qual == "String"):
        return
    if not _sql_handle(event):
        return
    if not report_taint(analyzer, "sql-injection", event.args[0], event.node.span, "SQL run by raw()") and event.args[0].built:
        analyzer.report("sql-injection", event.node.span, "raw() SQL built from non-constant parts", confidence="medium")


@on("call:js-yaml.load", "call:yaml.load")
def yaml_full_schema(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    opts = options(hooks, event.node.args[1] if len(event.node.args) > 1 else None)
    schema = get(opts, "schema")
    if isinstance(schema, ir.Attr) and "FULL" in schema.name.upper() or (isinstance(schema, ir.Name) and "full" in schema.id.lower()):
        if not report_taint(analyzer, "unsafe-deserialization", event.args[0], event.node.span, "YAML loaded with the full schema (!!js/function)"):
            analyzer.report("unsafe-deserialization", event.node.span, "YAML loaded with the full schema, which builds functions", confidence="medium")


@on("call:libxmljs.parseXml", "call:libxmljs.parseXmlString", "call:libxmljs2.parseXml", "call:libxmljs2.parseXmlString", "call:libxmljs.Document.fromXml")
def xxe(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    opts = options(hooks, event.node.args[1] if len(event.node.args) > 1 else None)
    if is_true(get(opts, "noent")) or is_true(get(opts, "dtdload")):
        analyzer.report("xxe", event.node.span, "XML parsed with external entities enabled (noent)")


_KEY_LISTS = frozenset({"Object.keys", "Object.entries", "Object.getOwnPropertyNames", "Reflect.ownKeys"})


def _text(expr: ir.Expr | None) -> str | None:
    """``sort``, ``req.query.sort``, ``items[i]``: an object path as text; None for anything else."""
    if isinstance(expr, ir.Name):
        return expr.id
    if isinstance(expr, ir.Attr):
        base = _text(expr.obj)
        return f"{base}.{expr.name}" if base else None
    if isinstance(expr, ir.Index) and isinstance(expr.index, ir.Name):
        base = _text(expr.obj)
        return f"{base}[{expr.index.id}]" if base else None
    return None


def _iterated_keys(hooks: Any, analyzer: Analyzer) -> dict[str, list[tuple[ir.Span, str | None]]]:
    """For each loop variable of the file, its loops and the object whose own keys each walks (``for (const k in
    obj)``, ``for (const k of Object.keys(obj))``)."""
    found = hooks.state.get("iterated-keys")
    if found is not None:
        return found
    found = {}
    for node in nodes(analyzer.module):
        if isinstance(node, ir.Loop) and isinstance(node.target, ir.Name):
            source = node.iter
            if isinstance(source, ir.Call) and isinstance(source.func, ir.Attr) and _text(source.func) in _KEY_LISTS and source.args:
                source = source.args[0]
            for stmt in node.body[:1]:
                if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Name) and stmt.value.id == node.target.id:
                    for target in stmt.targets:
                        if isinstance(target, ir.Name):
                            found.setdefault(target.id, []).append((node.span, _text(source)))
    hooks.state["iterated-keys"] = found
    return found


def _own_keys(hooks: Any, analyzer: Analyzer, target: ir.Index) -> bool:
    """``sort[k] = Number(sort[k])`` in ``for (const k in sort)``, ``items[i][p] = stub`` over ``items`` and ``items[i]``:
    every key is one the indexed object already has, so the write replaces an own property and never reaches
    ``Object.prototype`` (an own ``__proto__`` key, from JSON.parse, is a plain property)."""
    loops = _iterated_keys(hooks, analyzer)
    expr: ir.Expr = target
    while isinstance(expr, ir.Index):
        key, obj = expr.index, expr.obj
        around = [(span, text) for span, text in loops.get(key.id, ()) if _inside(target.span, span)] if isinstance(key, ir.Name) else []
        if not around or _text(obj) is None or max(around, key=lambda a: (a[0].line, a[0].column))[1] != _text(obj):
            return False  # the innermost loop binding the key walks another object
        expr = obj
    return True


def _inside(inner: ir.Span, outer: ir.Span) -> bool:
    return (outer.line, outer.column) <= (inner.line, inner.column) and (inner.end_line, inner.end_column) <= (outer.end_line, outer.end_column)


@on("stored")
def pollution(hooks: Any, analyzer: Analyzer, event: StoreEvent) -> None:
    """``obj[key] = value`` with a key from the request: ``__proto__`` reaches every object (nested keys need no tainted value)."""
    if not isinstance(event.target, ir.Index) or _own_keys(hooks, analyzer, event.target):
        return
    nested = event.outer_key is not None
    for candidate in ([event.outer_key] if nested else []) + [event.key]:
        remote = [l for l in sorted(candidate.labels, key=lambda l: l.sort_key()) if l.kind == "remote" and not l.clears("prototype-pollution")]
        if remote and (nested or any(l.kind == "remote" for l in event.value.labels)):
            analyzer.report("prototype-pollution", event.span, f"object property named by {remote[0].origin} assigned", remote[0])
            return


@on("store")
def dom_html(hooks: Any, analyzer: Analyzer, target: ir.Expr, base: Value, value: Value, span: ir.Span) -> None:
    if not isinstance(target, ir.Attr):
        return
    if target.name in _HTML_PROPERTIES:
        if not report_taint(analyzer, "xss", value, span, f"untrusted data written to {target.name}") and value.built:
            analyzer.report("xss", span, f"{target.name} set from a string built at run time", confidence="medium")
    elif target.name == "href" and (base.qual or "") in ("location", "window.location"):
        report_taint(analyzer, "open-redirect", value, span, "page navigated to a URL the attacker controls", WEB)
    elif target.name == "location" and (base.qual or "") in ("window", "document", "location"):
        report_taint(analyzer, "open-redirect", value, span, "page navigated to a URL the attacker controls", WEB)


@on("call:document.write", "call:document.writeln", "method:insertAdjacentHTML", "call:location.assign", "call:location.replace", "method:createContextualFragment")
def dom_calls(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    if not event.args:
        return
    if event.qual in ("location.assign", "location.replace"):
        report_taint(analyzer, "open-redirect", event.args[0], event.node.span, "page navigated to a URL the attacker controls", WEB)
        return
    value = event.args[-1]
    if not report_taint(analyzer, "xss", value, event.node.span, f"untrusted data written as HTML by {event.method or event.qual}()") and value.built:
        analyzer.report("xss", event.node.span, f"{event.method or event.qual}() writes HTML built at run time", confidence="medium")


@on("call")
def jsx(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    if not (event.qual or "").startswith("jsx:"):
        return
    html = event.kwargs.get("dangerouslySetInnerHTML")
    if html is not None and not html.is_const:
        if not report_taint(analyzer, "xss", html, event.node.span, "untrusted data rendered with dangerouslySetInnerHTML"):
            if html.built:
                analyzer.report("xss", event.node.span, "dangerouslySetInnerHTML with HTML built at run time", confidence="medium")
    for attr in ("href", "src", "action", "formAction"):
        value = event.kwargs.get(attr)
        if value is None:
            continue
        if isinstance(value.const, str) and value.const.strip().lower().startswith("javascript:"):
            analyzer.report("xss", event.node.span, f"javascript: URL in {attr}")
        elif not fixed_origin(event.node.keyword(attr)):
            report_taint(analyzer, "xss", value, event.node.span, f"URL the attacker controls in {attr} (javascript: URLs run script)", WEB)


def walk_syntax(module: ir.Module) -> list[tuple[str, ir.Span, str]]:
    """Purely syntactic findings over the whole IR: TLS verification switched off, ``$where`` built from strings."""
    found: list[tuple[str, ir.Span, str]] = []
    stack: list[Any] = list(module.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ir.Dict):
            for key, value in zip(node.keys, node.values):
                name = const(key)
                if name in ("rejectUnauthorized", "strictSSL") and isinstance(value, ir.Const) and value.value is False:
                    found.append(("tls-verification-disabled", value.span, f"{name}: false accepts any certificate"))
                elif name == "$where" and isinstance(value, (ir.Concat, ir.BinOp)):
                    found.append(("nosql-injection", value.span, "$where runs JavaScript built from strings inside MongoDB"))
        elif isinstance(node, ir.Assign):
            for target in node.targets:
                if isinstance(target, (ir.Attr, ir.Index)) and _env_key(target) == "NODE_TLS_REJECT_UNAUTHORIZED" and const(node.value) in ("0", 0):
                    found.append(("tls-verification-disabled", node.span, "NODE_TLS_REJECT_UNAUTHORIZED=0 turns off certificate checks for the whole process"))
        if hasattr(node, "__dataclass_fields__"):  # an IR node (the compiled IR's classes have no __slots__)
            for field in fields(node):
                child = getattr(node, field.name, None)
                if isinstance(child, tuple):
                    stack.extend(c for c in child if c is not None and not isinstance(c, (str, int, float)))
                elif child is not None and hasattr(child, "__dataclass_fields__") and not isinstance(child, ir.Span):
                    stack.append(child)
    return found


def _env_key(target: ir.Expr) -> str | None:
    if isinstance(target, ir.Attr):
        return target.name
    if isinstance(target, ir.Index):
        return const(target.index)
    return None


_DECOMPRESS = ("gunzip", "gunzipSync", "inflate", "inflateSync", "inflateRaw", "inflateRawSync", "unzip", "unzipSync", "brotliDecompress", "brotliDecompressSync")


@on(*(f"call:zlib.{name}" for name in _DECOMPRESS))
def decompression_bomb(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    opts = options(hooks, event.node.args[1] if len(event.node.args) > 1 else None)
    if get(opts, "maxOutputLength") is not None or (len(event.node.args) > 1 and opts is None and not (event.args[1].qual or "") in analyzer.functions):
        return
    if event.args:
        report_taint(analyzer, "decompression-bomb", event.args[0], event.node.span, f"zlib.{event.qual.split('.')[-1]}() inflates client data without maxOutputLength", ("remote",))
