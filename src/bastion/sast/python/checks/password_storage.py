"""Passwords stored as they were typed: an ORM record's password field given the plain value.

Only a store the analysis can place is reported: an attribute of an instance of a named class
(``user = User(...); user.password = pw``), of ``self`` in an ORM model, or a ``password=`` keyword
of a record-creating call (``User.objects.create(password=pw)``). ORMs commonly hash in the attribute
itself (a ``@property`` / ``@password.setter``, SQLAlchemy's ``synonym(..., descriptor=property(...))``,
``hybrid_property``): when the class defines ``password`` that way, in this file or in a project module
it imports, the setter decides what is stored and the assignment is not a finding. An object whose
class is unknown (a query's result, a parameter) is not judged either: whether its ``password`` is a
hashing property cannot be told.
"""

from __future__ import annotations

from bastion.sast import ir
from bastion.sast.python.checks import on, on_method
from bastion.sast.python.semantics import name_class
from bastion.sast.taint import Analyzer, CallEvent, Label, Value

_MODEL_BASES = ("model", "base", "document", "table", "entity", "schema")
#: What a class attribute holds when assigning to it runs code (a property's setter), not a plain store.
_DESCRIPTORS = ("property()", "synonym()", "hybrid_property()", "cached_property()")
#: Calls named ``create`` that build something other than a stored record (a database URL, a client).
_NOT_RECORDS = ("URL", "url", "engine", "Engine")


def _model_class(analyzer: Analyzer) -> bool:
    """Whether the current method belongs to an ORM model (its bases are named like one)."""
    fn = analyzer.current_function
    if fn is None or fn.cls is None:
        return False
    return any(b.rsplit(".", 1)[-1].lower().endswith(_MODEL_BASES) for b in analyzer.classes.get(fn.cls, ()))


def _plain_password(value: Value) -> Label | None:
    return next((l for l in value.real_labels() if l.kind == "password" and not l.clears("plaintext-password-storage")), None)


def _class_of_instance(qual: str | None) -> str | None:
    """``app.models.User`` for a value built by ``User(...)``; None for anything else (a call's result, a parameter)."""
    if not qual or not qual.endswith("()"):
        return None
    cls = qual[:-2]
    return cls if cls.rsplit(".", 1)[-1][:1].isupper() else None


def _runs_setter(analyzer: Analyzer, cls: str, attr: str) -> bool:
    """Whether assigning ``cls.attr`` runs the class's own code: a property, a synonym with a descriptor, a method."""
    held = analyzer.class_attrs.get(cls, {}).get(attr)
    if held is not None and held.qual and held.qual.endswith(_DESCRIPTORS):
        return True
    if f"{cls}.{attr}" in analyzer.functions:
        return True  # @property / @hybrid_property def password(...) with its setter
    other = analyzer.project.object_of(f"{cls}.{attr}")
    if other is not None and other.endswith(_DESCRIPTORS):
        return True
    return cls not in analyzer.classes and attr in analyzer.project.getters


@on("store")
def password_attr(hooks, analyzer: Analyzer, target: ir.Expr, base: Value, value: Value, span: ir.Span) -> None:
    if not isinstance(target, ir.Attr) or name_class(target.name) != "password" or "hash" in target.name.lower():
        return
    if isinstance(target.obj, ir.Name) and target.obj.id == "self":
        fn = analyzer.current_function
        if not _model_class(analyzer) or fn is None or fn.cls is None or _runs_setter(analyzer, fn.cls, target.name):
            return  # a client keeping its credentials in memory, or the model's own hashing setter
    else:
        cls = _class_of_instance(base.qual)
        if cls is None or _runs_setter(analyzer, cls, target.name):
            return
    label = _plain_password(value)
    if label is not None and not value.is_const:
        analyzer.report("plaintext-password-storage", span, f"password stored in .{target.name} without hashing", label, sink_note="stored")


def _record_class(receiver: Value | None) -> str | None:
    """The model a ``create`` call stores into: ``User`` for ``User.create(...)`` and ``User.objects.create(...)``."""
    qual = receiver.qual if receiver is not None else None
    if not qual:
        return None
    return qual[: -len(".objects")] if qual.endswith(".objects") else qual


@on_method("create", "insert_one", "create_user_record")
def password_kwarg(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    cls = _record_class(event.receiver)
    if cls is not None and (cls.rsplit(".", 1)[-1] in _NOT_RECORDS or _runs_setter(analyzer, cls, "password")):
        return
    for name, value in event.kwargs.items():
        if name_class(name) == "password" and "hash" not in name:
            label = _plain_password(value)
            if label is not None:
                analyzer.report("plaintext-password-storage", event.node.span, f"password passed as {name}= without hashing", label, sink_note="stored")
