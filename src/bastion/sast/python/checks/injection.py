"""Injection shapes the sink models cannot express alone: whole-object NoSQL filters, mass assignment, XXE parsers, auth asserts, plaintext passwords."""

from __future__ import annotations

from bastion.sast import ir
from bastion.sast.python.checks import on, on_call, on_method
from bastion.sast.python.semantics import in_test_code, name_class, span_text
from bastion.sast.taint import Analyzer, CallEvent, Label, Value

_MONGO_METHODS = ("find", "find_one", "find_one_and_update", "find_one_and_delete", "delete_many", "delete_one", "update_one",
                  "update_many", "count_documents", "aggregate")  # fmt: skip
_AUTH_WORDS = ("is_admin", "is_staff", "is_superuser", "is_authenticated", "has_perm", "permission", "authorized", "authorised",
               ".owner", "owner_id", ".role", "current_user")  # fmt: skip
_LXML_PARSE = ("lxml.etree.fromstring", "lxml.etree.parse", "lxml.etree.XML", "lxml.etree.iterparse", "lxml.objectify.fromstring", "lxml.objectify.parse")
_HASHERS = ("make_password", "generate_password_hash", "hashpw", "hash", "encrypt", "set_password", "hash_password", "pbkdf2", "scrypt", "argon2", "bcrypt")


def _remote(value: Value | None) -> Label | None:
    if value is None:
        return None
    return next((l for l in value.real_labels() if l.kind == "remote"), None)


@on_method(*_MONGO_METHODS)
def nosql(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    if not event.node.args:
        return
    expr = event.node.args[0]
    value = event.args[0]
    label = _remote(value)
    if label is None or label.clears("nosql-injection"):
        return
    if not isinstance(expr, (ir.Dict, ir.Seq, ir.Comp)):
        analyzer.report("nosql-injection", event.node.span, f"{label.origin} used as a whole query filter", label, sink_note="query filter")
    elif isinstance(expr, ir.Dict) and any(isinstance(k, ir.Const) and k.value == "$where" for k in expr.keys):
        analyzer.report("nosql-injection", event.node.span, f"{label.origin} reaches a $where clause", label, sink_note="$where")


def _callee_name(node: ir.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ir.Name) else func.name if isinstance(func, ir.Attr) else ""


@on("call-splat")
def mass_assignment(hooks, analyzer: Analyzer, event: CallEvent, splat: Value) -> None:
    name = _callee_name(event.node)
    label = _remote(splat)
    if label is None or label.clears("mass-assignment"):
        return
    if name[:1].isupper() or name in ("create", "update", "get_or_create", "update_or_create", "filter_by"):
        analyzer.report("mass-assignment", event.node.span, f"{label.origin} splatted into {name}()", label, sink_note=f"**kwargs of {name}()")


@on_method("update")
def dict_update(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    func = event.node.func
    if isinstance(func, ir.Attr) and isinstance(func.obj, ir.Attr) and func.obj.name == "__dict__":
        label = _remote(event.arg(0))
        if label is not None:
            analyzer.report("mass-assignment", event.node.span, f"{label.origin} copied into an object's __dict__", label, sink_note="__dict__.update()")


@on_call("setattr")
def setattr_loop(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    name = event.arg(1)
    label = _remote(name)
    if label is not None and not label.clears("mass-assignment"):
        analyzer.report("mass-assignment", event.node.span, f"attribute named by {label.origin} set on an object", label, sink_note="setattr()")


@on_call("lxml.etree.XMLParser", "lxml.etree.XMLPullParser")
def lxml_parser(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    resolve = event.kwargs.get("resolve_entities")
    network = event.kwargs.get("no_network")
    if (resolve is not None and resolve.const is True) or (network is not None and network.const is False):
        analyzer.report("xxe", event.node.span, "XML parser resolves external entities")


@on_call(*_LXML_PARSE)
def lxml_parse(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    if "parser" in event.kwargs or len(event.args) > 1:
        return
    label = _remote(event.arg(0))
    if label is not None:
        analyzer.report("xxe", event.node.span, f"{label.origin} parsed by lxml's default parser (entities resolved)", label, sink_note="parsed as XML")


@on_method("setFeature")
def sax_feature(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    feature, flag = event.arg(0), event.arg(1)
    if feature is not None and (feature.qual or "").endswith(("feature_external_ges", "feature_external_pes")) and flag is not None and flag.const is True:
        analyzer.report("xxe", event.node.span, "external entities enabled on the SAX parser")


@on_call("assert")
def auth_assert(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    """An assert whose condition is an access decision, in application code.

    In tests an assert is the test itself, so test files, ``test_*``
    functions and ``Test*`` classes are skipped; the message of an assert
    (``assert x, "not authorized"``) is not its condition.
    """
    if not event.node.args or in_test_code(hooks.file.path, analyzer.current_function):
        return
    text = span_text(hooks.file, event.node.args[0].span).lower()
    if any(w in text for w in _AUTH_WORDS):
        analyzer.report("assert-for-authorization", event.node.span, "authorization checked with assert (removed under python -O)")
