"""Secrets and passwords written to logs, and what a call hands back instead of them.

A model sink would report ``log.info("login %s", user)`` after ``user = authenticate(username=u, password=p)``:
a call this file cannot see passes every argument's labels to its result. What a function returns is not the
secret passed into it (a user, a flag, a response), so a logged value that is the result of such a call is
not reported. Functions of this project still count through their summaries (``normalize(password)`` that
returns its argument is reported), and so do calls that hand the same text back in another form: string
conversions and encodings, lookups by key, string methods.
"""

from __future__ import annotations

from bastion.sast import ir
from bastion.sast.python.checks import on_call, on_method
from bastion.sast.python.semantics import name_class, statements
from bastion.sast.taint import Analyzer, CallEvent, Value

_LEVELS = ("info", "warning", "error", "debug", "critical")
_SOURCES = ("secret", "password")
#: Calls whose result is the same text (or container) as their argument, in another form.
_SAME_TEXT = frozenset({"str", "repr", "format", "ascii", "bytes", "dict", "list", "tuple", "vars", "json.dumps", "pprint.pformat",
                        "base64.b64encode", "base64.urlsafe_b64encode", "base64.b64decode", "base64.urlsafe_b64decode",
                        "base64.b32encode", "base64.b16encode", "binascii.hexlify", "binascii.b2a_hex", "codecs.encode",
                        "urllib.parse.quote", "urllib.parse.quote_plus", "urllib.parse.urlencode", "shlex.quote"})  # fmt: skip
#: Methods whose result is (part of) the receiver's text or a value looked up in it.
_SAME_TEXT_METHODS = frozenset({"get", "pop", "getlist", "setdefault", "copy", "items", "values", "encode", "decode", "strip",
                                "lstrip", "rstrip", "lower", "upper", "title", "casefold", "replace", "split", "rsplit", "splitlines",
                                "partition", "join", "format", "format_map", "removeprefix", "removesuffix", "ljust", "rjust",
                                "center", "zfill", "hex", "dumps", "to_dict", "dict", "model_dump", "json"})  # fmt: skip


def _opaque_result(analyzer: Analyzer, value: Value) -> bool:
    """The value is what a call this analysis cannot see into returned, and not its argument's text; or a
    plainly named attribute of such a result (``response.status_code``, not ``user.password``)."""
    qual = value.qual or ""
    head, called, tail = qual.rpartition("()")
    if not called or "(" in tail or any(name_class(part) for part in tail.split(".") if part):
        return False
    callee = head
    if tail and not callee.rpartition(".")[2][:1].islower():
        return False  # an attribute of an instance (User().password): the object's data, not a call's answer
    if callee in analyzer.functions or callee in analyzer.external or callee in _SAME_TEXT:
        return False
    return callee.rpartition(".")[2].replace("()", "") not in _SAME_TEXT_METHODS


def _logger(event: CallEvent) -> bool:
    """``log.info``, ``self.logger.debug``, ``logging.getLogger(__name__).error``: the receiver names a logger."""
    func = event.node.func
    if not isinstance(func, ir.Attr):
        return (event.qual or "").startswith("logging.")
    obj = func.obj
    text = obj.id if isinstance(obj, ir.Name) else obj.name if isinstance(obj, ir.Attr) else ""
    return "log" in (text + " " + ((event.receiver.qual or "") if event.receiver is not None else "")).lower()


def _unpacked_from_call(analyzer: Analyzer, expr: ir.Expr) -> bool:
    """``ok, error = ldap.bind_user(name, password)``: a name unpacked from a call this analysis cannot see
    into is part of what that call answered (a flag, an error message), not the secret passed in."""
    fn = analyzer.current_function
    if not isinstance(expr, ir.Name) or fn is None:
        return False
    found = False
    for stmt in statements(fn.node.body):
        if isinstance(stmt, ir.Assign) and any(isinstance(t, ir.Seq) and any(isinstance(i, ir.Name) and i.id == expr.id
                                                                              for i in t.items) for t in stmt.targets):
            if not isinstance(stmt.value, ir.Call):
                return False
            callee = analyzer.peek(stmt.value.func, {}).qual
            if callee is None or not _opaque_result(analyzer, Value(qual=f"{callee}()")):
                return False
            found = True
        elif isinstance(stmt, ir.Assign) and any(isinstance(t, ir.Name) and t.id == expr.id for t in stmt.targets):
            return False
    return found


@on_call(*(f"logging.{level}" for level in _LEVELS))
@on_method(*_LEVELS)
def logged_secret(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    if not _logger(event):
        return
    for value, expr in zip(event.args[:4], event.node.args[:4]):
        if _opaque_result(analyzer, value) or _unpacked_from_call(analyzer, expr):
            continue
        if analyzer.sink("sensitive-data-logged", value, event.node.span, "written to the log", _SOURCES):
            return
