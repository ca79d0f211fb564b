"""Review items: the places where a human must decide, each with the question to answer and the evidence.

The checks read the map and the handlers' IR. They do not claim a
vulnerability (SAST does that, and its findings are linked): they point at
code whose safety depends on application context a tool lacks, grouped by
the four areas of a security review.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from bastion.audit.body import REQUEST, Facts, _canonical
from bastion.audit.model import AppMap, EntryPoint
from bastion.audit.names import Scope, bind_assign, const_str, render, statement_exprs, subexpressions, walk_statements
from bastion.audit.project import FunctionRef, Project
from bastion.core.model import Location
from bastion.sast import ir
from bastion.sast.javascript.semantics import name_class as js_name_class
from bastion.sast.python.semantics import name_class as py_name_class

#: The four areas of the review (the first article's third layer).
AREAS = {
    "input": "Untrusted input and data boundaries",
    "resources": "Resource management and denial of service",
    "exposure": "Information exposure and side channels",
    "logic": "Core logic, permissions and cryptography",
}
#: Short names for charts and tables.
AREA_LABELS = {"input": "Input boundaries", "resources": "Resources / DoS", "exposure": "Exposure", "logic": "Logic / permissions"}
SEVERITIES = ("high", "medium", "low")


@dataclass(frozen=True)
class Evidence:
    location: Location
    note: str
    code: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"location": self.location.to_dict(), "note": self.note, "code": self.code}


@dataclass
class ReviewItem:
    """One question for a reviewer. ``id`` is stable across line moves; ``digest`` changes when the evidence's code does."""

    check: str
    area: str
    severity: str
    cwe: tuple[str, ...]
    title: str
    question: str
    evidence: tuple[Evidence, ...]
    entry: str | None = None
    findings: list[str] = field(default_factory=list)  # fingerprints of the SAST findings on this path

    occurrence: int = 0  # counts earlier items with the same key (two loops in one handler)

    @property
    def key(self) -> str:
        """What the item is about, not how the code reads: so an edit of the line makes it "changed", not new."""
        anchor = self.evidence[0] if self.evidence else None
        return "|".join((self.check, self.entry or "", anchor.location.path if anchor else "", anchor.note if anchor else ""))

    @property
    def id(self) -> str:
        return hashlib.sha256(f"{self.key}|{self.occurrence}".encode()).hexdigest()[:16]

    @property
    def digest(self) -> str:
        text = "\n".join(_fold(e.code) for e in self.evidence) + "\n" + self.question
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "digest": self.digest, "check": self.check, "area": self.area, "severity": self.severity, "cwe": list(self.cwe),
                "title": self.title, "question": self.question, "evidence": [e.to_dict() for e in self.evidence], "entry": self.entry,
                "findings": list(self.findings)}


def _fold(text: str) -> str:
    return " ".join(text.split())


class Context:
    """What the checks share: the project, the map, and a way to quote code."""

    def __init__(self, project: Project, app_map: AppMap):
        self.project = project
        self.app_map = app_map
        self.sources = {s.path: s for s in project.modules}

    def code(self, location: Location) -> str:
        source = self.sources.get(location.path)
        return source.line(location.line).strip() if source else ""

    def evidence(self, location: Location, note: str) -> Evidence:
        return Evidence(location, note, self.code(location))

    def facts(self, entry: EntryPoint) -> Facts | None:
        return self.project.handlers.get(entry.id)


def _loc(path: str, span: ir.Span) -> Location:
    return Location(path, span.line, span.column, span.end_line, span.end_column)


# --------------------------------------------------------------- input tracking


class Inputs:
    """Which local names of a function hold request data (a small forward pass, enough to ask questions, not to prove flows)."""

    def __init__(self, ref: FunctionRef, project: Project, entry: EntryPoint | None):
        self.scope = Scope(project.scope(ref.source))
        self.names: set[str] = set()
        declared = {p.name for p in entry.params} if entry else set()
        for param in ref.node.params:
            if param.name in ("request", "req", "ctx", "context"):
                self.scope.names[param.name] = REQUEST
            elif param.name in declared:
                self.names.add(param.name)
        for stmt in walk_statements(ref.node.body):
            if isinstance(stmt, ir.Assign) and stmt.op is None:
                if self.tainted(stmt.value) and self._carries(stmt.value):
                    self.names.update(t.id for t in stmt.targets if isinstance(t, ir.Name))
                bind_assign(self.scope, stmt)
            elif isinstance(stmt, ir.Loop) and isinstance(stmt.target, ir.Name) and self.tainted(stmt.iter):
                self.names.add(stmt.target.id)

    def _carries(self, value: ir.Expr) -> bool:
        """A call's result is request data only for conversions and request getters: ``Task.objects.get(pk=pk)`` is a row, not input."""
        inner = value.children[0] if isinstance(value, ir.Opaque) and len(value.children) == 1 else value
        if not isinstance(inner, ir.Call):
            return True
        qual = _canonical(self.scope.qual(inner.func)) or render(inner.func)
        return qual.startswith(REQUEST) or qual in _CONVERT or qual in ("json.loads", "JSON.parse", "list", "dict", "Array.from", "Object.keys", "Object.values")

    def tainted(self, expr: ir.Expr | None) -> bool:
        for node in subexpressions(expr):
            if isinstance(node, ir.Name) and node.id in self.names:
                return True
            if isinstance(node, (ir.Attr, ir.Index, ir.Name)):
                qual = _canonical(self.scope.qual(node))
                if qual and qual.startswith(REQUEST + ".") and not qual.startswith((REQUEST + ".user", REQUEST + ".method", REQUEST + ".session", REQUEST + ".state")):
                    return True
        return False


# ------------------------------------------------------------------- the checks

Check = Callable[[Context], Iterator[ReviewItem]]
_ID_NAME = re.compile(r"(^|_)(id|pk|uuid|slug)$|Id$|ID$", re.IGNORECASE)


def check_object_ownership(ctx: Context) -> Iterator[ReviewItem]:
    """CWE-639: a record loaded by an id from the request, with no owner comparison and no authorization guard."""
    for entry in ctx.app_map.entry_points:
        if entry.kind != "http" or "authorization" in entry.guard_kinds() or entry.identity:
            continue
        ids = [p for p in entry.params if p.location in ("path", "query", "body") and _ID_NAME.search(p.name)]
        loads = [r for r in entry.reaches if r.category in ("db-read", "db-write")]
        if not ids or not loads:
            continue
        names = ", ".join(sorted({p.name for p in ids}))
        yield ReviewItem(
            "object-ownership", "logic", "high" if entry.state_changing else "medium", ("CWE-639",),
            f"{names} from the request selects a record; nothing compares its owner with the caller",
            f"Can any caller read or change another user's record by changing {names}? If the record belongs to a user or tenant, "
            "the query must be scoped to the caller (owner=request.user) or the handler must check ownership.",
            tuple(ctx.evidence(r.location, f"{r.category}: {r.call}") for r in loads[:3]), entry.id)


def check_inconsistent_controls(ctx: Context) -> Iterator[ReviewItem]:
    """State-changing routes without authentication (or CSRF protection) while their siblings in the same file have it."""
    by_file: dict[tuple[str, str], list[EntryPoint]] = defaultdict(list)
    for entry in ctx.app_map.entry_points:
        if entry.state_changing:  # siblings: same file and framework (a DRF view is not protected the way a Django form view is)
            by_file[(entry.handler.path, entry.framework)].append(entry)
    for (path, _), entries in by_file.items():
        for kind, cwe, label in (("authentication", ("CWE-306",), "authentication"), ("csrf", ("CWE-352",), "CSRF protection")):
            guarded = [e for e in entries if kind in e.guard_kinds() or (kind == "authentication" and "authorization" in e.guard_kinds())]
            if not guarded:
                continue
            for entry in entries:
                if entry in guarded:
                    continue
                sibling = guarded[0]
                guard = next(g for g in sibling.guards if g.kind in (kind, "authorization"))
                yield ReviewItem(
                    f"missing-{kind}", "logic", "high" if kind == "authentication" else "medium", cwe,
                    f"{'/'.join(entry.methods)} {entry.path} has no {label}; {len(guarded)} sibling route(s) in {path} do",
                    f"Is {'/'.join(entry.methods)} {entry.path} meant to be reachable without {label}? Its siblings use {guard.name}.",
                    (ctx.evidence(Location(entry.handler.path, entry.handler.line), f"handler {entry.handler.name}"),
                     ctx.evidence(guard.location, f"sibling {'/'.join(sibling.methods)} {sibling.path} uses {guard.name}")), entry.id)
        for entry in entries:
            exempt = [g for g in entry.guards if g.kind == "csrf-exempt"]
            if exempt and "authentication" not in entry.guard_kinds():
                yield ReviewItem(
                    "csrf-exempt", "logic", "medium", ("CWE-352",), f"CSRF protection switched off on {'/'.join(entry.methods)} {entry.path}",
                    "What stops another site from submitting this form in a logged-in user's browser? An exemption needs another proof of intent "
                    "(a signature, a token, a non-cookie credential).", (ctx.evidence(exempt[0].location, exempt[0].name),), entry.id)


_ALLOC_CALLS = {"bytearray", "bytes", "range", "Array", "Buffer.alloc", "Buffer.allocUnsafe", "numpy.zeros", "numpy.empty", "numpy.ones", "itertools.repeat"}
_SIZE_METHODS = {"read", "recv", "repeat", "ljust", "rjust", "zfill", "padStart", "padEnd", "limit", "fetchmany", "take", "slice", "islice"}
_CONVERT = {"int", "parseInt", "Number", "float", "parseFloat"}
_LIMIT_NAMES = re.compile(r"^(limit|size|page_?size|per_?page|count|n|num|max|top|take|length|len|amount|rows|items|depth|width|height)$", re.IGNORECASE)


def check_unbounded_input(ctx: Context) -> Iterator[ReviewItem]:
    """CWE-400/770/190: loops over user-sized input, allocations or sizes taken from a user number, unchecked."""
    for entry in ctx.app_map.entry_points:
        facts = ctx.facts(entry)
        if facts is None or entry.kind not in ("http", "queue"):
            continue
        for ref in facts.functions[:1]:
            inputs = Inputs(ref, ctx.project, entry)
            bounded = _compared_names(ref.node)
            for stmt in walk_statements(ref.node.body):
                if isinstance(stmt, ir.Loop) and stmt.target is not None and inputs.tainted(stmt.iter) and not _is_bounded(stmt.iter, bounded):
                    loc = _loc(ref.source.path, stmt.span)
                    yield ReviewItem("user-sized-loop", "resources", "medium", ("CWE-400", "CWE-834"), f"loop over request data in {entry.handler.name}",
                                     "How large can this collection be? Cap the number of items the request may send before iterating (and before "
                                     "doing I/O per item).", (ctx.evidence(loc, "iterates over request data"),), entry.id)
                for expr in statement_exprs(stmt):
                    yield from _sizes(ctx, entry, ref, inputs, bounded, expr)


def _sizes(ctx: Context, entry: EntryPoint, ref: FunctionRef, inputs: Inputs, bounded: set[str], expr: ir.Expr) -> Iterator[ReviewItem]:
    for node in subexpressions(expr):
        size = None
        if isinstance(node, ir.Call):
            name = (inputs.scope.qual(node.func) or render(node.func)).replace("()", "")
            method = node.func.name if isinstance(node.func, ir.Attr) else None
            if name in _ALLOC_CALLS or name.rsplit(".", 1)[-1] in ("Array",) or method in _SIZE_METHODS:
                size = next((a for a in node.args if inputs.tainted(a)), None)
        elif isinstance(node, ir.BinOp) and node.op == "*" and isinstance(node.left, (ir.Seq, ir.Const)) and inputs.tainted(node.right):
            size = node.right
        elif isinstance(node, ir.Index) and inputs.tainted(node.index) and not isinstance(node.index, ir.Const) and not inputs.tainted(node.obj):
            if any(isinstance(n, ir.Call) and render(n.func) in _CONVERT for n in subexpressions(node.index)) or _converted(node.index, inputs, ref):
                size = node.index
        if size is None or _is_bounded(size, bounded):
            continue
        loc = _loc(ref.source.path, getattr(node, "span", ir.NOSPAN))
        yield ReviewItem("user-sized-allocation", "resources", "medium", ("CWE-770", "CWE-190"), f"a number from the request sizes an allocation or index in {entry.handler.name}",
                         "What is the largest (and the negative) value this number can take? Convert it, then clamp it to a range the "
                         "service can afford before using it as a size, a count or an index.", (ctx.evidence(loc, f"size from request: {render(size)}"),), entry.id)


def _converted(expr: ir.Expr, inputs: Inputs, ref: FunctionRef) -> bool:
    """A name that was assigned ``int(...)`` of request data."""
    if not isinstance(expr, ir.Name):
        return False
    for stmt in walk_statements(ref.node.body):
        if isinstance(stmt, ir.Assign) and any(isinstance(t, ir.Name) and t.id == expr.id for t in stmt.targets):
            if isinstance(stmt.value, ir.Call) and render(stmt.value.func) in _CONVERT:
                return True
    return False


def _compared_names(fn: ir.FunctionDef) -> set[str]:
    """Names the function bounds: compared in a test, or clamped with min()/Math.min()."""
    names = set()
    for stmt in walk_statements(fn.body):
        tests = [stmt.test] if isinstance(stmt, ir.If) else []
        for expr in tests + list(statement_exprs(stmt)):
            for node in subexpressions(expr):
                if isinstance(node, ir.Compare) and any(op in ("<", "<=", ">", ">=") for op in node.ops):
                    names.update(n.id for side in (node.left, *node.comparators) for n in subexpressions(side) if isinstance(n, ir.Name))
                if isinstance(node, ir.Call) and render(node.func) in ("min", "Math.min", "clamp", "max", "Math.max"):
                    names.update(n.id for a in node.args for n in subexpressions(a) if isinstance(n, ir.Name))
        if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Call) and render(stmt.value.func) in ("min", "Math.min"):
            names.update(t.id for t in stmt.targets if isinstance(t, ir.Name))
    return names


def _is_bounded(expr: ir.Expr, bounded: set[str]) -> bool:
    for node in subexpressions(expr):
        if isinstance(node, ir.Name) and node.id in bounded:
            return True
        if isinstance(node, ir.Call) and render(node.func) in ("min", "Math.min"):
            return True
        if isinstance(node, ir.Index) and isinstance(node.index, ir.Opaque):  # a slice: items[:100]
            return True
    return False


def check_body_limits(ctx: Context) -> Iterator[ReviewItem]:
    """CWE-400/770: request bodies with no size limit (Flask without MAX_CONTENT_LENGTH, Django limits set to None)."""
    body_routes = [e for e in ctx.app_map.entry_points if e.kind == "http" and any(p.location in ("body", "form") for p in e.params)]
    flask = [e for e in body_routes if e.framework == "flask"]
    if flask and not any(s.python and b"MAX_CONTENT_LENGTH" in s.data for s in ctx.project.modules):
        entry = flask[0]
        yield ReviewItem("unbounded-body", "resources", "medium", ("CWE-400", "CWE-770"), "Flask reads request bodies with no MAX_CONTENT_LENGTH",
                         f"How large a body may a client send to the {len(flask)} Flask route(s) that read one? Without MAX_CONTENT_LENGTH "
                         "Flask reads any size into memory or temporary files: set it (and the proxy's limit).",
                         (ctx.evidence(Location(entry.handler.path, entry.handler.line), f"{' '.join(entry.methods)} {entry.path} reads the body"),), entry.id)
    for source in ctx.project.modules:
        if not source.python or "settings" not in source.path:
            continue
        for stmt in source.module.body:
            if (isinstance(stmt, ir.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ir.Name)
                    and stmt.targets[0].id in ("DATA_UPLOAD_MAX_MEMORY_SIZE", "DATA_UPLOAD_MAX_NUMBER_FIELDS", "DATA_UPLOAD_MAX_NUMBER_FILES")
                    and isinstance(stmt.value, ir.Const) and stmt.value.value is None):
                loc = _loc(source.path, stmt.span)
                yield ReviewItem("unbounded-body", "resources", "medium", ("CWE-400", "CWE-770"), f"{stmt.targets[0].id} = None removes Django's limit",
                                 "What stops a client from sending a body (or a number of fields) that exhausts memory? Keep Django's limit, "
                                 "raised only as far as the largest legitimate request.", (ctx.evidence(loc, "limit switched off"),), None)


_OPENERS = {"open", "io.open", "socket.socket", "sqlite3.connect", "psycopg2.connect", "tempfile.NamedTemporaryFile", "tempfile.TemporaryFile",
            "urllib.request.urlopen", "zipfile.ZipFile", "tarfile.open", "fs.openSync", "fs.createReadStream", "fs.createWriteStream", "net.createConnection"}
_CLOSERS = {"close", "closeSync", "destroy", "end", "release", "shutdown", "quit", "terminate", "dispose", "cleanup"}


def check_resource_release(ctx: Context) -> Iterator[ReviewItem]:
    """CWE-772: a file, socket or connection opened outside ``with`` and never closed in the same function."""
    seen: set[tuple[str, int]] = set()
    for entry, ref in _functions_by_entry(ctx):
        scope = ctx.project.scope(ref.source)
        with_items = {id(item) for stmt in walk_statements(ref.node.body) if isinstance(stmt, ir.With) for item, _ in stmt.items}
        closed = {render(n.func.obj) for stmt in walk_statements(ref.node.body) for e in statement_exprs(stmt) for n in subexpressions(e)
                  if isinstance(n, ir.Call) and isinstance(n.func, ir.Attr) and n.func.name in _CLOSERS}
        returned = {render(s.value) for s in walk_statements(ref.node.body) if isinstance(s, ir.Return) and s.value is not None}
        for stmt in walk_statements(ref.node.body):
            if not isinstance(stmt, ir.Assign) or not isinstance(stmt.value, ir.Call) or id(stmt.value) in with_items:
                continue
            qual = (scope.qual(stmt.value.func) or "").replace("()", "")
            if qual not in _OPENERS:
                continue
            names = [render(t) for t in stmt.targets]
            if any(n in closed or n in returned for n in names) or (ref.source.path, stmt.span.line) in seen:
                continue
            seen.add((ref.source.path, stmt.span.line))
            loc = _loc(ref.source.path, stmt.span)
            yield ReviewItem("resource-release", "resources", "low", ("CWE-772",), f"{qual}() in {ref.node.name} is never closed",
                             "Is this handle released on every path, errors included? Under load, leaked handles exhaust the process's file "
                             "descriptors or the pool's connections: use `with` / try-finally.", (ctx.evidence(loc, f"{qual}() bound to {', '.join(names)}"),),
                             entry.id if entry else None)


def _functions_by_entry(ctx: Context) -> Iterator[tuple[EntryPoint | None, FunctionRef]]:
    for entry in ctx.app_map.entry_points:
        facts = ctx.facts(entry)
        for ref in facts.functions if facts else ():
            yield entry, ref


_RESPONSE_CALLS = re.compile(r"(jsonify|JsonResponse|HttpResponse|Response|make_response|render_template|abort|HTTPException|send|json|end|write|status|body)$")


def check_error_exposure(ctx: Context) -> Iterator[ReviewItem]:
    """CWE-209: an exception's text or stack sent back in the response."""
    for entry, ref in _functions_by_entry(ctx):
        if entry is None or entry.kind != "http":
            continue
        for stmt in walk_statements(ref.node.body):
            if not isinstance(stmt, ir.Try):
                continue
            for handler in stmt.handlers:
                if not handler.name:
                    continue
                hit = _exception_in_response(handler, handler.name)
                if hit is not None:
                    loc = _loc(ref.source.path, hit)
                    yield ReviewItem("error-exposure", "exposure", "medium", ("CWE-209",), f"exception text returned to the client in {entry.handler.name}",
                                     "Does this response show internals (SQL, paths, stack frames, library versions) to the caller? Log the "
                                     "exception and send a generic message with a correlation id.", (ctx.evidence(loc, f"'{handler.name}' reaches the response"),), entry.id)


def _exception_in_response(handler: ir.Handler, name: str) -> ir.Span | None:
    for stmt in walk_statements(handler.body):
        exprs = list(statement_exprs(stmt))
        for expr in exprs:
            for node in subexpressions(expr):
                responding = isinstance(stmt, ir.Return) or (isinstance(node, ir.Call) and _RESPONSE_CALLS.search(render(node.func).replace("()", "")))
                if not responding:
                    continue
                targets = [stmt.value] if isinstance(stmt, ir.Return) and node is expr else node.args if isinstance(node, ir.Call) else ()
                for target in targets:
                    if any(isinstance(n, ir.Name) and n.id == name for n in subexpressions(target)) or "format_exc" in render(target):
                        return getattr(stmt, "span", None)
    return None


def check_secret_comparison(ctx: Context) -> Iterator[ReviewItem]:
    """CWE-208: a secret, token or signature compared with ``==`` (time depends on the common prefix)."""
    for source in ctx.project.modules:
        name_class = py_name_class if source.python else js_name_class
        for stmt in walk_statements(source.module.body):
            for expr in statement_exprs(stmt):
                for node in subexpressions(expr):
                    if not isinstance(node, ir.Compare) or not any(op in ("==", "!=") for op in node.ops):
                        continue
                    sides = (node.left, *node.comparators)
                    if any(isinstance(s, ir.Const) for s in sides):
                        continue
                    secret = next((s for s in sides if name_class(_leaf(s)) in ("password", "secret", "token") and not _leaf(s).endswith(_NOT_VALUES)), None)
                    if secret is None or name_class(_leaf(secret)) == "password" and "hash" not in render(node).lower():
                        continue
                    loc = _loc(source.path, node.span)
                    yield ReviewItem("timing-comparison", "exposure", "medium", ("CWE-208",), f"{render(secret)} compared with ==",
                                     "Can an attacker measure this comparison? Compare secrets, tokens and signatures in constant time "
                                     "(hmac.compare_digest, crypto.timingSafeEqual).", (ctx.evidence(loc, f"{render(node.left)} == …"),), _entry_at(ctx, loc))


#: Names about secrets that do not hold one: ``tokenize``, ``tokenizer``, ``token_type``, ``secretMode``.
_NOT_VALUES = ("ize", "izer", "ized", "Type", "type", "Kind", "kind", "Mode", "mode", "Count", "count", "Length", "length", "Name", "name")


def _leaf(expr: ir.Expr) -> str:
    if isinstance(expr, ir.Name):
        return expr.id
    if isinstance(expr, ir.Attr):
        return expr.name
    if isinstance(expr, ir.Index):
        return const_str(expr.index) or ""
    if isinstance(expr, ir.Call):
        return _leaf(expr.func)
    return ""


_MODE_CALLS = {"os.chmod": 1, "os.makedirs": 1, "os.mkdir": 1, "os.open": 2, "os.fchmod": 1, "pathlib.Path.chmod": 0, "fs.chmodSync": 1, "fs.chmod": 1,
               "fs.mkdirSync": None, "fs.writeFileSync": None, "fs.mkdir": None, "fs.writeFile": None, "os.umask": 0, "process.umask": 0}


def check_file_modes(ctx: Context) -> Iterator[ReviewItem]:
    """CWE-732: files and folders created or changed writable (or readable) by other users."""
    for source in ctx.project.modules:
        scope = ctx.project.scope(source)
        for stmt in walk_statements(source.module.body):
            for expr in statement_exprs(stmt):
                for node in subexpressions(expr):
                    if not isinstance(node, ir.Call):
                        continue
                    qual = (scope.qual(node.func) or "").replace("()", "")
                    if qual not in _MODE_CALLS and not (isinstance(node.func, ir.Attr) and node.func.name == "chmod"):
                        continue
                    mode = _mode(node, _MODE_CALLS.get(qual, 0))
                    umask = qual in ("os.umask", "process.umask")
                    if mode is None or (umask and mode & 0o022) or (not umask and not mode & 0o022):
                        continue
                    loc = _loc(source.path, node.span)
                    who = "everyone" if (mode & 0o002 and not umask) or (umask and not mode & 0o002) else "the group"
                    yield ReviewItem("file-permissions", "logic", "high" if who == "everyone" else "medium", ("CWE-732",),
                                     f"{render(node.func)} with mode {oct(mode)}", f"Should {who} be able to write here? Create files 0o600 / folders 0o700 "
                                     "unless another user must read them, and never world-writable.", (ctx.evidence(loc, f"mode {oct(mode)}"),), _entry_at(ctx, loc))


def _mode(call: ir.Call, position: int | None) -> int | None:
    candidates = [call.keyword("mode")]
    if position is not None and len(call.args) > position:
        candidates.append(call.args[position])
    for expr in candidates:
        if isinstance(expr, ir.Dict):
            expr = next((v for k, v in zip(expr.keys, expr.values) if const_str(k) == "mode"), None)
        if isinstance(expr, ir.Const) and isinstance(expr.value, int) and not isinstance(expr.value, bool) and 0 <= expr.value <= 0o7777:
            return expr.value
        if isinstance(expr, ir.Const) and isinstance(expr.value, str) and re.fullmatch(r"0?[0-7]{3,4}", expr.value):
            return int(expr.value, 8)
    return None


_TRUSTED_HEADERS = re.compile(r"(x-forwarded|x-real-ip|x-client-ip|client-ip|x-user|x-role|x-admin|x-auth|remote-user|x-remote|x-internal|referer|origin|x-original)", re.IGNORECASE)


def check_header_trust(ctx: Context) -> Iterator[ReviewItem]:
    """CWE-290: a decision taken on a header the client writes (X-Forwarded-For, X-User-Id, Referer...)."""
    for entry in ctx.app_map.entry_points:
        facts = ctx.facts(entry)
        headers = [p.name for p in entry.params if p.location == "header" and _TRUSTED_HEADERS.search(p.name)]
        if facts is None or not headers:
            continue
        for ref in facts.functions:
            inputs = Inputs(ref, ctx.project, entry)
            for stmt in walk_statements(ref.node.body):
                if isinstance(stmt, ir.If) and _reads_header(stmt.test, inputs, headers):
                    loc = _loc(ref.source.path, stmt.span)
                    yield ReviewItem("header-trust", "logic", "high", ("CWE-290", "CWE-348"), f"a decision on {', '.join(headers)} in {entry.handler.name}",
                                     "Who sets this header? Unless a proxy you control overwrites it, any client can: never decide identity, role "
                                     "or allow-lists from it.", (ctx.evidence(loc, f"condition reads {', '.join(headers)}"),), entry.id)
                    break


def _reads_header(test: ir.Expr, inputs: Inputs, headers: list[str]) -> bool:
    lowered = {h.lower() for h in headers}
    for node in subexpressions(test):
        text = const_str(node)
        if text and text.lower().replace("_", "-") in lowered:
            return True
        if isinstance(node, ir.Name) and node.id in inputs.names:
            return True
    return False


def _entry_at(ctx: Context, location: Location) -> str | None:
    """The entry point whose handler or helpers contain ``location``, if any."""
    for entry in ctx.app_map.entry_points:
        facts = ctx.facts(entry)
        for ref in facts.functions if facts else ():
            span = ref.node.span
            if ref.source.path == location.path and span.line <= location.line <= span.end_line:
                return entry.id
    return None


CHECKS: tuple[Check, ...] = (check_object_ownership, check_inconsistent_controls, check_unbounded_input, check_body_limits, check_resource_release,
                             check_error_exposure, check_secret_comparison, check_file_modes, check_header_trust)


def review_items(project: Project, app_map: AppMap) -> list[ReviewItem]:
    ctx = Context(project, app_map)
    items: dict[str, ReviewItem] = {}
    seen: dict[str, int] = {}
    same: set[tuple[str, tuple[Evidence, ...]]] = set()  # (check, evidence)
    for check in CHECKS:
        for item in check(ctx):
            if (item.check, item.evidence) in same:  # one helper reached from several routes: one question, on the first route
                continue
            same.add((item.check, item.evidence))
            item.occurrence = seen.get(item.key, 0)
            seen[item.key] = item.occurrence + 1
            items[item.id] = item
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(items.values(), key=lambda i: (order[i.severity], i.area, i.evidence[0].location.path if i.evidence else "", i.evidence[0].location.line if i.evidence else 0))
