"""JavaScript semantics plugged into the language-neutral taint core.

What is JavaScript-specific lives here: ``require:m`` names, which
parameters of which callbacks carry attacker data (Express/Fastify/Next.js
``req``, Koa ``ctx``, NestJS decorated parameters, error middleware and
``.catch`` callbacks), canonical names for chained response calls
(``res.status(500).send`` is ``res.send``), identifiers that hold secrets,
and dispatch to the JavaScript-only checks in :mod:`.checks`.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from typing import Any, Callable

from bastion.sast import ir
from bastion.sast.javascript.frontend import GETTER, JsInfo
from bastion.sast.language_facts import LanguageFacts, scalar_truth
from bastion.sast.taint import ALL, UNKNOWN, Analyzer, CallEvent, DispatchHooks, FunctionInfo, Label, Step, Value, _cap

REQUEST = "js.Request()"
RESPONSE = "js.Response()"
REPLY = "js.Reply()"  # Fastify: strings go out as text/plain, objects as JSON
CONTEXT = "js.Context()"
ROUTE_METHODS = frozenset({"get", "post", "put", "delete", "patch", "all", "use", "head", "options", "route", "del"})
ARCHIVE_NAMES = frozenset({"entryName", "unsafeOriginalName"})  # adm-zip, JSZip: the name as stored in the archive
CLIENT_FILE_NAMES = frozenset({"originalname", "originalFilename"})  # multer / formidable: the name the client sent
#: Environment variables whose whole purpose is to name the program a tool starts for its user (``$EDITOR file``):
#: whoever sets them chooses their own program, so starting it is not command injection.
PROGRAM_VARIABLES = frozenset({"EDITOR", "VISUAL", "PAGER", "BROWSER", "SHELL"})
#: Methods whose callback's first parameter is the receiver's value (a promise's result, an element).
ELEMENT_CALLBACKS = frozenset({"then", "forEach", "map", "filter", "some", "every", "find", "flatMap", "findLast"})
HTTP_EXPORTS = frozenset({"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"})
_CHAINABLE = ("status", "set", "type", "header", "cookie", "append", "vary", "code", "headers", "clearCookie", "links", "attachment")
_SAFE_TYPES = frozenset({"number", "boolean", "bigint", "Date", "ParseIntPipe", "ParseUUIDPipe", "ParseBoolPipe"})
_NEST_INPUT = frozenset({"Param", "Query", "Body", "Headers", "Cookies", "Ip", "HostParam", "UploadedFile", "UploadedFiles"})
_PASSWORD_WORDS = ("password", "passwd", "passphrase", "pwd")
_SECRET_WORDS = _PASSWORD_WORDS + ("secret", "token", "apikey", "api_key", "privatekey", "private_key", "credential", "signature", "sessionid", "session_id", "otp", "hmac", "nonce", "salt")
_NOT_SECRET_SUFFIXES = ("url", "uri", "path", "file", "dir", "name", "field", "type", "length", "len", "header", "count", "policy", "label", "expires", "expiry", "ttl", "regex", "pattern", "hash", "hashed", "digest", "schema")


@lru_cache(maxsize=4096)
def name_class(name: str) -> str | None:
    """'password' / 'secret' for identifiers that hold one (camelCase or snake_case), else None."""
    lowered = name.lower()
    if len(lowered) > 60 or lowered.endswith(_NOT_SECRET_SUFFIXES) or _verb_prefixed(name):
        return None
    if lowered in ("pw", "pass") or any(w in lowered for w in _PASSWORD_WORDS):
        return "password"
    if any(w in lowered for w in _SECRET_WORDS):
        return "secret"
    return None


_VERBS = ("get", "set", "is", "has", "check", "validate", "verify", "generate", "make", "create", "new", "on", "handle", "use", "hash", "compare")


def _verb_prefixed(name: str) -> bool:
    """``getToken``, ``validate_password``: functions about a secret, not values holding one."""
    for verb in _VERBS:
        if name.startswith(verb) and len(name) > len(verb) and (name[len(verb)].isupper() or name[len(verb)] == "_"):
            return True
    return False


def canonical(qual: str) -> str:
    """``js.Response().status().send`` -> ``js.Response().send``: chained setters return the response."""
    if not qual.startswith((RESPONSE, REPLY, CONTEXT)):
        return qual
    for name in _CHAINABLE:
        qual = qual.replace(f".{name}()", "")
    return qual


def _uses_koa(analyzer: Analyzer) -> bool:
    """Koa controllers live in their own files, registered elsewhere: the import tells what ``ctx`` is."""
    return any(m == "koa" or m.startswith(("koa-", "@koa/")) for m in analyzer.imports)


def untrusted(param: ir.Param, note: str) -> Value:
    return Value(labels=frozenset({Label("remote", note, (Step(param.span, f"untrusted {note}"),))}))


def exception(param: ir.Param) -> Value:
    return Value(qual="exception", labels=frozenset({Label("exception", "exception", (Step(param.span, f"error bound to '{param.name}'"),))}))


#: String and array methods whose result is text assembled from the receiver and the arguments.
_BUILDING = frozenset("join replace replaceAll concat trim trimStart trimEnd toLowerCase toUpperCase padStart padEnd normalize".split())
#: String methods folded on constants, by the Python str method with the same meaning.
_FOLDS: dict[str, Callable[..., Any]] = {
    "toLowerCase": str.lower, "toUpperCase": str.upper, "trim": str.strip, "trimStart": str.lstrip, "trimEnd": str.rstrip,
    "startsWith": str.startswith, "endsWith": str.endswith, "includes": str.__contains__,
}


def _truth(value: Any) -> bool | None:
    """JavaScript's truthiness: every array and object is truthy, NaN is not."""
    if isinstance(value, (list, tuple, dict, frozenset)):
        return True
    if isinstance(value, float) and value != value:
        return False
    return scalar_truth(value)


#: What the core needs to know of JavaScript: ``undefined`` is nothing, ``new URL(path, base)`` builds a URL,
#: ``UPPER_CASE`` names are constants, arrays and objects are always truthy; a side-effect ``import 'x'`` binds nothing.
JAVASCRIPT_FACTS = LanguageFacts(
    nothing_names=frozenset({"undefined"}),
    receiver_names=frozenset({"this"}),
    url_constructors=frozenset({"URL"}),
    constant_name=str.isupper,
    truth=_truth,
)


_PREDICATE_PREFIXES = ("is", "has", "can")
#: What a URL an allow-list check approved can no longer do: point the client or the server elsewhere, or bring
#: back content from a host the program did not choose.
URL_VOUCHED_CLEARS = frozenset({"open-redirect", "ssrf", "xss", "header-injection"})
_URL_WORDS = ("url", "uri", "redirect", "host", "origin", "domain", "link")
_VOUCH_WORDS = ("valid", "safe", "allowed", "trusted", "whitelist", "allowlist", "permitted")


def url_validator_name(name: str) -> bool:
    """``isUrlAllowed``, ``isValidRedirectUrl``, ``is_safe_url``, ``hasTrustedOrigin``: a predicate named for an
    allow-list check of a URL (not ``isUrl``/``isValidUrlSyntax``-free names such as ``validateUrl``, which may
    only parse)."""
    lowered = name.lower()
    return (lowered.startswith(_PREDICATE_PREFIXES) and any(w in lowered for w in _URL_WORDS)
            and any(w in lowered for w in _VOUCH_WORDS))


def _answers_booleans(node: ir.FunctionDef) -> bool:
    """Every ``return`` of the body (nested functions aside) gives a boolean: a literal, a comparison, a negation;
    at least one is ``false``."""
    answers: list[ir.Expr | None] = []
    stack: list[Any] = list(node.body)
    while stack:
        stmt = stack.pop()
        if isinstance(stmt, (ir.FunctionDef, ir.ClassDef)):
            continue
        if isinstance(stmt, ir.Return):
            answers.append(stmt.value)
        for attr in ("body", "orelse", "final"):
            stack.extend(getattr(stmt, attr, ()) or ())
        for handler in getattr(stmt, "handlers", ()) or ():
            stack.extend(handler.body)
    boolean = all(isinstance(a, ir.Compare) or (isinstance(a, ir.UnaryOp) and a.op == "not")
                  or (isinstance(a, ir.Const) and isinstance(a.value, bool)) for a in answers)
    return bool(answers) and boolean and any(isinstance(a, ir.Const) and a.value is False for a in answers)


class JsHooks(DispatchHooks):
    """Per-file hooks: ``roles`` records what framework callbacks were registered as, seen at the registering call."""

    facts = JAVASCRIPT_FACTS

    def __init__(self, file: Any, info: JsInfo, checks: dict[str, list[Callable[..., None]]]):
        self.file = file
        self.info = info
        self.events = checks
        self.roles: dict[str, str] = {}  # function qual -> "route" | "catch" | "koa"
        self.exported_roles: dict[str, str] = {}  # another module's function (``./src/users[].show``) -> its role here
        self.carried: dict[str, Value] = {}  # callback qual -> what its first parameter receives (promise value, element)
        self.hash_algorithms: dict[Any, str] = {}  # span of a createHash() call / variable name -> algorithm
        self.state: dict[str, Any] = {}
        self.dicts: dict[str, ir.Dict] = {}  # local name -> the object literal it was bound to

    def resolve_import(self, module: str, level: int, current: str) -> str:
        return module

    def text_method(self, method: str) -> str | None:
        return "built" if method in _BUILDING else None

    def fold_method(self, method: str, receiver: Any, consts: list[Any]) -> Any:
        """String methods of constants whose result is never longer than the receiver (``'DEV'.toLowerCase()``)."""
        fold = _FOLDS.get(method)
        if fold is None or not isinstance(receiver, str) or len(consts) > 1 or not all(isinstance(c, str) for c in consts):
            return UNKNOWN
        return fold(receiver, *consts)

    def getter(self, node: ir.FunctionDef) -> bool:
        """A ``get`` accessor (the frontend marks it): read as an attribute."""
        return any(isinstance(d, ir.Name) and d.id == GETTER for d in node.decorators)

    def unknown_callers(self, analyzer: Analyzer, fn: FunctionInfo) -> bool:
        """Test files are run by their test runner with the test's own values: no input of unknown origin."""
        return not in_test_file(self.file.path)

    def vouching(self, fn: FunctionInfo, test: ir.Call) -> tuple[ir.Expr, frozenset[str]] | None:
        """``if (!isUrlAllowed(url.href)) return res.status(403)...``, ``isValidRedirectUrl(returnUrl)``: a project
        predicate named for a URL allow-list check (is/has/can + a URL word + valid/safe/allowed/trusted), of any
        length, in this file or another module. Its true answer puts the URL's target among the program's own
        choices: it clears what a hostile target does (a redirect, a request, and what an allow-listed host answers,
        sent on as a page or a header), not what the URL carries (a token in it is still a secret in a URL).
        A body this file holds must answer with booleans, one of them false."""
        written = test.func.id if isinstance(test.func, ir.Name) else test.func.name if isinstance(test.func, ir.Attr) else ""
        names = (fn.node.name.split("$")[0], fn.qual.rsplit(".", 1)[-1], written)  # a bundle exports it as `m`
        if not test.args or isinstance(test.args[0], ir.Starred) or not any(url_validator_name(n) for n in names):
            return None
        if fn.origin is None and not _answers_booleans(fn.node):
            return None
        return test.args[0], URL_VOUCHED_CLEARS

    def unbound_name(self, name: str) -> Value:
        if name.startswith("require:"):
            return Value(qual=name[8:])
        return Value(qual=name)

    def canonical(self, qual: str) -> str:
        qual = canonical(qual)
        for prefix in ("window.", "globalThis.", "self.", "document."):
            if qual.startswith(prefix + "location") or (prefix != "document." and qual.startswith(prefix + "document")):
                return qual[len(prefix) :]
        return qual

    def read_name(self, analyzer: Analyzer, name: str, value: Value, span: ir.Span) -> Value:
        if name in PROGRAM_VARIABLES and value.qual == f"process.env.{name}":
            return Value(value.const, value.qual, _cap(replace(l, cleared=l.cleared | {"command-injection"}) for l in value.labels),
                         value.built, value.cleared)
        if name in ARCHIVE_NAMES:  # adm-zip entry.entryName: zip slip
            label = Label("archive", "an archive entry name", (Step(span, f"archive entry name ({name})"),))
            return Value(value.const, value.qual, _cap(value.labels | {label}), value.built, value.cleared)
        if name in CLIENT_FILE_NAMES:
            label = Label("remote", f"the uploaded file's client-side name ({name})", (Step(span, f"file name chosen by the client ({name})"),))
            return Value(value.const, value.qual, _cap(value.labels | {label}), value.built, value.cleared)
        kind = name_class(name)
        if kind is None or value.is_const or (value.qual and value.qual in analyzer.functions):
            return value
        label = Label(kind, f"'{name}'", (Step(span, f"'{name}' holds a {kind}"),))
        return Value(value.const, value.qual, _cap(value.labels | {label}), value.built, value.cleared)

    # ----------------------------------------------------------- entry points

    def entry_seeds(self, analyzer: Analyzer, fn: FunctionInfo) -> dict[str, Value] | None:
        params = [p for p in fn.node.params if p.name != "this"]
        role = self.roles.get(fn.qual)
        seeds: dict[str, Value] = {}
        if role == "catch" and params:
            return {params[0].name: exception(params[0])}
        carried = self.carried.get(fn.qual)
        if carried is not None and params:
            seeds[params[0].name] = carried
        if len(params) == 4 and params[1].name in ("req", "request") and role == "route":
            seeds[params[0].name] = exception(params[0])
            params = params[1:]
        if fn.node.name.split("$")[0] in HTTP_EXPORTS and params and fn.cls is None:
            seeds[params[0].name] = Value(qual=REQUEST)
        for index, param in enumerate(params):
            annotation = param.annotation.id if isinstance(param.annotation, ir.Name) else ""
            if annotation in _SAFE_TYPES and param.name not in seeds:
                seeds[param.name] = Value(cleared=ALL)  # TypeScript: a number is not an injection vector
                continue
            decorator = self.info.param_decorators.get(param.span)
            if decorator is not None:
                if decorator in ("Req", "Request"):
                    seeds[param.name] = Value(qual=REQUEST)
                elif decorator in ("Res", "Response"):
                    seeds[param.name] = Value(qual=RESPONSE)
                elif decorator in _NEST_INPUT:
                    seeds[param.name] = Value(cleared=ALL) if annotation in _SAFE_TYPES else untrusted(param, f"@{decorator}() parameter '{param.name}'")
                continue
            if param.name in ("req", "request") or annotation in ("Request", "express.Request", "NextRequest", "NextApiRequest", "FastifyRequest"):
                seeds[param.name] = Value(qual=REQUEST)
            elif param.name == "reply" or annotation == "FastifyReply":
                seeds[param.name] = Value(qual=REPLY)
            elif param.name in ("res", "response") or annotation in ("Response", "express.Response", "NextApiResponse"):
                seeds[param.name] = Value(qual=RESPONSE)
            elif index == 0 and param.name in ("ctx", "context") and (role == "route" or annotation in ("Context", "Koa.Context", "ParameterizedContext", "RouterContext") or _uses_koa(analyzer)):
                seeds[param.name] = Value(qual=CONTEXT)
        if role == "route" and len(params) in (2, 3) and params[0].name not in seeds:
            # an Express handler takes (request, response[, next]) whatever it names them
            seeds[params[0].name] = Value(qual=REQUEST)
            seeds.setdefault(params[1].name, Value(qual=RESPONSE))
        return seeds or None

    # ----------------------------------------------------------------- events

    def on_call(self, analyzer: Analyzer, event: CallEvent) -> None:
        if event.method in ROUTE_METHODS or event.method in ELEMENT_CALLBACKS or event.method == "catch":
            self._register_callbacks(analyzer, event)
        for handler in self.events.get("call:" + (event.qual or ""), ()):
            handler(self, analyzer, event)
        if event.method and analyzer.project_function(event.qual) is None:  # the project's own method: not the library's
            for handler in self.events.get("method:" + event.method, ()):
                handler(self, analyzer, event)
        for handler in self.events.get("call", ()):
            handler(self, analyzer, event)

    def _register_callbacks(self, analyzer: Analyzer, event: CallEvent) -> None:
        if event.method in ROUTE_METHODS:  # a controller of another module: that module's analysis learns its role
            for arg in event.args:
                if arg.qual and arg.qual.startswith("./") and arg.qual not in analyzer.functions:
                    self.exported_roles.setdefault(arg.qual, "route")
        functions = [a.qual for a in event.args if a.qual in analyzer.functions]
        if not functions:
            return
        if event.method == "catch":
            self.roles.setdefault(functions[-1], "catch")
        elif event.method in ELEMENT_CALLBACKS:
            first = event.args[0].qual if event.args else None
            if first in analyzer.functions and event.receiver is not None and event.receiver.labels:
                self.carried[first] = Value(labels=event.receiver.labels, cleared=event.receiver.cleared)
            if event.method == "then" and len(functions) > 1:
                self.roles.setdefault(functions[1], "catch")
        elif event.method in ROUTE_METHODS:
            for qual in functions:
                self.roles.setdefault(qual, "route")

    def on_return(self, analyzer: Analyzer, value: Value, span: ir.Span, expr: ir.Expr | None = None) -> None:
        self._dispatch("return", analyzer, value, span, expr)

    def on_finish(self, analyzer: Analyzer) -> None:
        self._dispatch("finish", analyzer)


_TEST_DIRS = frozenset({"test", "tests", "__tests__", "spec", "e2e"})
_SAMPLE_DIRS = frozenset({"fixtures", "samples", "data", "testdata"})  # code kept as test input is application code


def in_test_file(path: str) -> bool:
    """``*.test.js``, ``*.spec.ts``, files under ``test/``, ``tests/``, ``__tests__/`` (but not their fixtures)."""
    parts = path.replace("\\", "/").split("/")
    folders = set(parts[:-1])
    if folders & _SAMPLE_DIRS:
        return False
    return bool(_TEST_DIRS & folders) or any(f".{word}." in parts[-1] for word in ("test", "spec"))


#: Request data on a server, the URL and referrer in a browser.
WEB = ("remote", "dom")


def report_taint(analyzer: Analyzer, rule: str, value: Value | None, span: ir.Span, note: str, sources: tuple[str, ...] = ("remote", "local", "dom")) -> bool:
    """Report ``value`` reaching a sink the models cannot express (the sink depends on argument shapes).

    A parameter reaching the sink enters the function's summary (:meth:`Analyzer.sink`),
    so a caller that passes untrusted data in is reported too.
    """
    return value is not None and analyzer.sink(rule, value, span, note, sources)
