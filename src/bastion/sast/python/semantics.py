"""Python semantics plugged into the language-neutral taint core.

What is Python-specific lives here: relative import resolution, names that
denote secrets or passwords (name-based labels that let "md5 of a password"
differ from "md5 of a cache key"), framework entry points whose parameters
are untrusted, and dispatch of the Python-only checks.
"""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache
from typing import Any, Iterable, Iterator

from bastion.sast import ir
from bastion.sast.python import checks
from bastion.sast.python import text as text_semantics
from bastion.sast.language_facts import LanguageFacts
from bastion.sast.python.entrypoints import REQUEST, Route, entry_seeds, registered_view, route_role
from bastion.sast.taint import UNKNOWN, Analyzer, CallEvent, DispatchHooks, FunctionInfo, Label, Step, Value, _cap

#: Fragments of identifiers that hold passwords; a separate class because weak hashing of these is CWE-916.
PASSWORD_WORDS = ("password", "passwd", "passphrase", "pwd")
PASSWORD_NAMES = frozenset({"pw", "pass_", "passw"})
#: Fragments of identifiers that hold secrets: logged or compared, they leak.
SECRET_WORDS = (
    "secret", "api_key", "apikey", "private_key", "credential", "session_key", "access_key", "auth_key",
    "access_token", "refresh_token", "auth_token", "api_token", "id_token", "jwt", "bearer", "ssn", "credit_card", "card_number", "cvv",
)  # fmt: skip
#: Weaker: tokens, signatures and one-time codes matter for hashing, comparison and URLs, not for every log line.
TOKEN_WORDS = ("token", "signature", "otp", "csrf")
_NOT_SECRET_SUFFIXES = ("_url", "_uri", "_path", "_file", "_dir", "_name", "_field", "_type", "_len", "_length", "_id", "_header", "_count", "_policy", "_validators", "_help", "_label",
                        "_score", "_strength", "_hint")


@lru_cache(maxsize=4096)
def name_class(name: str) -> str | None:
    """'password' for password-like identifiers, 'secret' for other secrets, else None."""
    lowered = name.lower()
    if len(lowered) > 60 or lowered.endswith(_NOT_SECRET_SUFFIXES) or lowered.startswith(("is_", "has_", "check_", "validate_", "verify_", "set_", "reset_", "forgot_", "change_")):
        return None
    if lowered in PASSWORD_NAMES or any(w in lowered for w in PASSWORD_WORDS):
        return "password"
    if any(w in lowered for w in SECRET_WORDS):
        return "secret"
    if any(w in lowered for w in TOKEN_WORDS) or lowered in ("mac", "hmac"):
        return "token"
    return None


_BY_NAME = frozenset({"by-name"})
_GETTERS = frozenset({"property", "cached_property"})  # decorators of methods read as attributes
_NUMBER_TYPES = frozenset({"int", "float", "bool"})
_CANONICAL = {
    "flask.request": REQUEST,
    "quart.request": REQUEST,
    "werkzeug.wrappers.Request()": REQUEST,
    "flask.session": "web.session",
    "quart.session": "web.session",
}

# A Path method or attribute that gives another Path: ``base.joinpath(name).resolve().read_text()`` is
# still a Path's read_text (its models), whatever chain made the Path.
_PATH_RESULT = re.compile(
    r"pathlib\.Path\(\)\.(?:(?:joinpath|resolve|absolute|expanduser|with_name|with_stem|with_suffix|relative_to)\(\)|parent)(?=\.)")


# A Django manager's or queryset's row lookup (``Ticket.objects.get(id=x)``, ``.objects.filter(...).first()``),
# whatever model it is on: one name for the models (django_orm.toml).
_MANAGER_ROW = re.compile(r"\.objects\.(?:\w+\(\)\.)*(get|first|last|latest|earliest|get_or_create)$")


# A project's own copy of Django's redirect-target check (flaskbb, many Flask apps vendor ``is_safe_url``): the
# name says what it returns, and the copies keep the name. One qual for the models (web_sinks.toml).
_URL_VALIDATORS = frozenset({"is_safe_url", "url_has_allowed_host_and_scheme", "is_safe_redirect_url", "is_safe_redirect"})


#: Query methods that answer a row object (``oauth_key = query.one()``): a record, not the secret its name says.
_ROW_LOOKUPS = frozenset({"one", "first", "one_or_none", "scalar_one", "scalar_one_or_none", "first_or_404", "one_or_404",
                          "get_or_404"})


def _database_row(qual: str | None) -> bool:
    if not qual or not qual.endswith("()"):
        return False
    return qual.startswith("django.db.models.QuerySet.") or qual[:-2].rpartition(".")[2] in _ROW_LOOKUPS


def _truth(value: Any) -> bool:
    """Python's truthiness of a constant (empty containers are false)."""
    try:
        return bool(value)
    except Exception:  # noqa: BLE001 - a constant whose __bool__ fails is an object, which is true
        return True


#: What the core needs to know of Python: ``import a.b`` binds ``a``, ``Path / name`` joins a path, ``"ab" * 3``
#: repeats and ``"%s" % x`` formats text, ``UPPER_CASE`` names are constants, empty containers are false.
PYTHON_FACTS = LanguageFacts(
    import_binds_package=True,
    path_join_operator="/",
    text_repeat_operator="*",
    text_format_operator="%",
    constant_name=str.isupper,
    truth=_truth,
)


class PythonHooks(DispatchHooks):
    facts = PYTHON_FACTS

    def __init__(self, file: Any, options: dict[str, Any]):
        self.events = checks.EVENTS
        self.file = file
        self.options = options
        self.import_lines: dict[str, int] = {}
        self.routes: dict[str, Any] = {}  # function qual -> Route, filled as functions are walked
        self.registered: dict[str, Route] = {}  # view qual -> the route a call registers it for (add_url_rule, path())
        self.exported_roles: dict[str, dict[str, Any]] = {}  # another module's view this file registers -> its route
        self.settings: dict[str, tuple[Value, ir.Span]] = {}  # framework settings by name: the last value given
        self.setting_history: dict[str, list[tuple[Value, ir.Span]]] = {}  # every value given, for checks at the end
        self.env_default: ir.Span | None = None  # the last os.getenv("K", "constant") call
        self.alternatives: dict[Any, Any] = {}  # getattr(m, "N", d) calls and names, try/except imports: candidates (checks/aliases.py)
        self.markup_to_text: set[ir.Span] = set()  # Markup(x) calls turned back into text at once (checks/responses.py)
        self.admin_sql: set[ir.Span] = set()  # SQL sink calls running CREATE/DROP/SET... statements (checks/sql.py)
        self.jinja_autoescape: set[bool] = set()  # whether each Jinja2 Environment/Template made here escapes (checks/loaders.py)
        checks.load_checks()

    def resolve_import(self, module: str, level: int, current: str) -> str:
        if level == 0:
            return module
        parts = current.split(".")
        package = parts[: max(len(parts) - level, 0)] if not self.file.path.endswith("__init__.py") else parts[: max(len(parts) - level + 1, 0)]
        return ".".join([*package, module] if module else package)

    def canonical(self, qual: str) -> str:
        known = _CANONICAL.get(qual)
        if known is not None:
            return known
        if qual.rsplit(".", 1)[-1] in _URL_VALIDATORS and not qual.startswith("django."):
            return "web.is_safe_url"
        row = _MANAGER_ROW.search(qual)
        if row is not None:
            return f"django.db.models.QuerySet.{row.group(1)}"
        while "pathlib.Path()." in qual:
            shorter = _PATH_RESULT.sub("pathlib.Path()", qual)
            if shorter == qual:
                break
            qual = shorter
        return qual

    def read_name(self, analyzer: Analyzer, name: str, value: Value, span: ir.Span) -> Value:
        kind = name_class(name)
        if kind is None or value.is_const or (value.qual and value.qual in analyzer.functions) or _database_row(value.qual):
            return value
        label = Label(kind, f"'{name}'", (Step(span, f"'{name}' holds a {kind}"),), flags=_BY_NAME)
        return Value(value.const, value.qual, _cap(value.labels | {label}), value.built, value.cleared)

    def entry_seeds(self, analyzer: Analyzer, fn: FunctionInfo) -> dict[str, Value] | None:
        return entry_seeds(analyzer, fn, self.options, self.registered.get(fn.qual))

    def method_binding(self, fn: FunctionInfo) -> str:
        names = {d.id for d in fn.node.decorators if isinstance(d, ir.Name)}
        return "static" if "staticmethod" in names else "class" if "classmethod" in names else "instance"

    def getter(self, node: ir.FunctionDef) -> bool:
        """``@property`` / ``@functools.cached_property``: read as an attribute."""
        return any((d.id if isinstance(d, ir.Name) else d.name if isinstance(d, ir.Attr) else "") in _GETTERS
                   for d in node.decorators)

    def type_checked(self, test: ir.Call, qual: str | None) -> ir.Expr | None:
        """``isinstance(x, int)`` / ``isinstance(x, (int, float))``: ``x`` is a number."""
        if qual != "isinstance" or len(test.args) != 2:
            return None
        kinds = test.args[1]
        names = [t.id for t in kinds.items if isinstance(t, ir.Name)] if isinstance(kinds, ir.Seq) else (
            [kinds.id] if isinstance(kinds, ir.Name) else [])
        return test.args[0] if names and set(names) <= _NUMBER_TYPES else None

    def fold_call(self, qual: str, consts: list[Any]) -> Any:
        """``os.path.join``, ``str`` and ``len`` of constants (sizes bounded by the constants themselves)."""
        if qual in ("os.path.join", "posixpath.join") and consts and all(isinstance(c, str) for c in consts):
            return posixpath.join(*consts)
        if qual == "str" and len(consts) == 1 and isinstance(consts[0], (str, int, float)) and not isinstance(consts[0], bool):
            return str(consts[0])
        if qual == "len" and len(consts) == 1 and isinstance(consts[0], (str, bytes, tuple, list, dict, frozenset)):
            return len(consts[0])
        return UNKNOWN

    template_type = "string.templatelib.Template"  # t"..." (PEP 750)

    def text_method(self, method: str) -> str | None:
        return text_semantics.text_method(method)

    def fold_method(self, method: str, receiver: Any, consts: list[Any]) -> Any:
        return text_semantics.fold_method(method, receiver, consts)

    def format_operator(self, op: str, template: Value, args: Value) -> Value | None:
        return text_semantics.percent(template, args) if op == "%" else None

    def text_conversion(self, qual: str | None) -> bool:
        return qual in ("str", "repr", "bytes")

    def unknown_callers(self, analyzer: Analyzer, fn: FunctionInfo) -> bool:
        """Test code is called by the test runner with the test's own values: no input of unknown origin."""
        return not in_test_code(self.file.path, fn)

    def on_call(self, analyzer: Analyzer, event: CallEvent) -> None:
        self._register_view(analyzer, event)
        handlers = checks.CALLS.get(event.qual or "", ())
        for handler in handlers:
            handler(self, analyzer, event)
        if event.method and analyzer.project_function(event.qual) is None:  # the project's own method: not the library's
            for handler in checks.METHODS.get(event.method, ()):
                handler(self, analyzer, event)
        for splat in event.splats:
            self._dispatch("call-splat", analyzer, event, splat)

    def _register_view(self, analyzer: Analyzer, event: CallEvent) -> None:
        """``app.add_url_rule(..., view_func=show)`` / ``path(..., views.show)``: a view of this file gets its route
        before it is analysed (registrations run at module level, before the functions); another module's view is
        listed in this module's summary, for that module's analysis."""
        found = registered_view(event)
        if found is None:
            return
        qual, route = found
        if qual in analyzer.functions:
            self.registered.setdefault(qual, route)
        else:
            self.exported_roles.setdefault(qual, route_role(route))

    def on_return(self, analyzer: Analyzer, value: Value, span: ir.Span, expr: ir.Expr | None = None) -> None:
        self._dispatch("return", analyzer, value, span)
        self._dispatch("return-expr", analyzer, value, span, expr)

    def on_finish(self, analyzer: Analyzer) -> None:
        self._dispatch("finish", analyzer)

    def on_handler(self, analyzer: Analyzer, handler: ir.Handler) -> None:
        self._dispatch("handler", analyzer, handler)

    def on_import(self, analyzer: Analyzer, module: str, span: ir.Span) -> None:
        self._dispatch("import", analyzer, module, span)


_TEST_DIRS = ("test", "tests", "testing")
_SAMPLE_DIRS = ("fixtures", "samples", "data", "testdata")  # code kept as test input is application code


def in_test_code(path: str, fn: FunctionInfo | None) -> bool:
    """Test files (under ``tests/`` but not its fixtures, ``test_*.py``, ``*_test.py``, ``conftest.py``), ``test_*`` functions, ``Test*`` classes."""
    parts = path.replace("\\", "/").split("/")
    name, folders = parts[-1], parts[:-1]
    in_tests = any(p in _TEST_DIRS for p in folders) and not any(p in _SAMPLE_DIRS for p in folders)
    if in_tests or name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py":
        return True
    if fn is None:
        return False
    cls = (fn.cls or "").rsplit(".", 1)[-1]
    return fn.name.startswith("test") or cls.startswith("Test")


def span_text(file: Any, span: ir.Span) -> str:
    """The source text of ``span`` (columns are 1-based), for checks that read how a condition is written."""
    if span.line == span.end_line:
        return file.line(span.line)[span.column - 1 : span.end_column - 1]
    lines = [file.line(n) for n in range(span.line, span.end_line + 1)]
    lines[0] = lines[0][span.column - 1 :]
    lines[-1] = lines[-1][: span.end_column - 1]
    return "\n".join(lines)


def statements(body: Iterable[ir.Stmt]) -> Iterator[ir.Stmt]:
    """Every statement of ``body`` in source order, nested blocks (if/for/try/with/def/class) included."""
    for stmt in body:
        yield stmt
        for block in _blocks(stmt):
            yield from statements(block)


def _blocks(stmt: ir.Stmt) -> list[tuple[ir.Stmt, ...]]:
    if isinstance(stmt, (ir.If, ir.Loop)):
        return [stmt.body, stmt.orelse]
    if isinstance(stmt, ir.Try):
        return [stmt.body, *(h.body for h in stmt.handlers), stmt.orelse, stmt.final]
    if isinstance(stmt, (ir.With, ir.FunctionDef, ir.ClassDef)):
        return [stmt.body]
    return []
