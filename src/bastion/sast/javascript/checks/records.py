"""Request bodies copied wholesale into records (mass assignment), and passwords stored as they came."""

from __future__ import annotations

from typing import Any

from bastion.sast import ir
from bastion.sast.javascript.checks import const, get, on, options
from bastion.sast.javascript.checks.bindings import receiver_names
from bastion.sast.javascript.semantics import CONTEXT, REPLY, REQUEST, RESPONSE, name_class
from bastion.sast.taint import Analyzer, CallEvent, Label, Value

#: What a request's parsed body or query string is as a whole (not one of its fields).
_WHOLE = frozenset({f"{REQUEST}.body", f"{REQUEST}.query", f"{REQUEST}.json()", f"{REQUEST}.formData()",
                    f"{CONTEXT}.request.body", f"{CONTEXT}.request.query", f"{CONTEXT}.query"})
#: ORM and driver methods that write every field of the object they get, by the argument holding it.
_WRITES = {"create": 0, "build": 0, "bulkCreate": 0, "insertMany": 0, "insertOne": 0, "insert": 0, "save": 0,
           "upsert": 0, "update": 0, "set": 0, "findByIdAndUpdate": 1, "findOneAndUpdate": 1, "updateOne": 1,
           "updateMany": 1, "merge": 1, "replaceOne": 1}
#: Receivers whose methods of those names are not record writes: responses, hashes, maps, caches, URLs.
_NOT_RECORDS = (RESPONSE, REPLY, REQUEST, CONTEXT, "crypto.", "Map", "Set", "URLSearchParams", "Headers", "FormData", "Object")
_NOT_RECORD_WORDS = ("hash", "hmac", "cipher", "cache", "map", "params", "headers", "store", "session", "redis", "form")
#: Prisma's write methods take the record under ``data`` (upsert: ``create`` and ``update``).
_PRISMA_KEYS = ("data", "create", "update")
#: Global constructors that are not models.
_BUILTINS = frozenset({"URL", "URLSearchParams", "Map", "Set", "WeakMap", "Date", "Error", "TypeError", "RangeError", "Promise",
                       "Buffer", "Array", "Object", "String", "Number", "Boolean", "RegExp", "Headers", "Request", "Response",
                       "FormData", "Blob", "File", "Proxy", "Intl", "Uint8Array", "ArrayBuffer", "DataView", "Symbol", "Function",
                       "Worker", "WebSocket", "EventSource", "Event", "CustomEvent", "TextEncoder", "TextDecoder", "BigInt",
                       "AbortController", "Image", "Notification", "WeakSet", "WeakRef", "SharedArrayBuffer"})


def _whole(expr: ir.Expr | None, value: Value | None) -> Label | None:
    """The request's remote label when ``value`` is the parsed body or query itself, or an object spreading it."""
    if value is None:
        return None
    remote = next((l for l in value.real_labels() if l.kind == "remote" and not l.clears("mass-assignment")), None)
    if remote is None:
        return None
    if value.qual in _WHOLE:
        return remote
    if isinstance(expr, ir.Dict):
        for key, item in zip(expr.keys, expr.values):
            if key is None and isinstance(item, ir.Attr) and _attr_path(item) in ("req.body", "request.body", "ctx.request.body", "req.query"):
                return remote
    return None


def _attr_path(expr: ir.Expr) -> str:
    if isinstance(expr, ir.Name):
        return expr.id
    return f"{_attr_path(expr.obj)}.{expr.name}" if isinstance(expr, ir.Attr) else ""


def _receiver_words(event: CallEvent) -> str:
    return " ".join(receiver_names(event)).lower()


def _record_write(event: CallEvent) -> bool:
    receiver = (event.receiver.qual or "") if event.receiver is not None else ""
    if receiver.startswith(_NOT_RECORDS) or (event.qual or "").startswith(_NOT_RECORDS):
        return False
    words = _receiver_words(event)
    return not any(word in words for word in _NOT_RECORD_WORDS)


def _report(analyzer: Analyzer, event: CallEvent, label: Label, where: str) -> None:
    analyzer.report("mass-assignment", event.node.span, f"{label.origin} copied whole into {where}", label,
                    sink_note=f"every field of {label.origin} written by {where}")


@on("call")
def mass_assignment(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    method = event.method
    if event.qual in ("Object.assign", "lodash.assign", "lodash.extend", "lodash.assignIn", "underscore.extend"):
        target = event.node.args[0] if event.node.args else None
        if target is None or isinstance(target, (ir.Dict, ir.Seq)):
            return  # a fresh object: a copy, judged where it is written
        for expr, value in zip(event.node.args[1:], event.args[1:]):
            label = _whole(expr, value)
            if label is not None:
                _report(analyzer, event, label, "an existing object by Object.assign()")
                return
        return
    if method in _WRITES and event.node.args and _record_write(event):
        index = _WRITES[method]
        if method == "set" and len(event.node.args) != 1:
            return  # map.set(key, value)
        if index < len(event.node.args):
            label = _whole(event.node.args[index], event.args[index]) or _update_operator(event.node.args[index], event.args[index])
            if label is None and index == 0:
                label = _prisma_data(hooks, event)
            if label is not None:
                _report(analyzer, event, label, f"{method}()")
        return
    if method is None and isinstance(event.node.func, ir.Name) and _model_class(analyzer, event) and event.node.args:
        label = _whole(event.node.args[0], event.args[0])
        if label is not None:
            _report(analyzer, event, label, f"new {event.node.func.id}()")


def _update_operator(expr: ir.Expr, value: Value) -> Label | None:
    """``{ $set: req.body }``: a MongoDB update that writes whatever fields the client sent."""
    if isinstance(expr, ir.Dict):
        return _whole(get(expr, "$set"), value.item("$set"))
    return None


def _prisma_data(hooks: Any, event: CallEvent) -> Label | None:
    """``prisma.user.create({ data: req.body })``, ``upsert({ where, create: req.body, update: req.body })``."""
    literal = options(hooks, event.node.args[0])
    if literal is None:
        return None
    for key in _PRISMA_KEYS:
        label = _whole(get(literal, key), event.args[0].item(key))
        if label is not None:
            return label
    return None


def _model_class(analyzer: Analyzer, event: CallEvent) -> bool:
    """``new User(req.body)``: a capitalized class of this project, a Mongoose or Sequelize model, or a global."""
    name = event.node.func.id
    if not name[:1].isupper() or name in _BUILTINS or name.endswith(("Error", "Exception")):
        return False
    qual = event.qual or ""
    return (qual.startswith(("./", "../", "mongoose.model(", "sequelize.define(", analyzer.module.name + "."))
            or qual == name or "." not in qual)


#: Words of a file that hash passwords in a model hook (mongoose ``pre('save')``, Sequelize ``beforeCreate``):
#: a model defined there stores what the hook made of the password.
_HASHING_HOOKS = ("pre('save'", 'pre("save"', "beforeCreate", "beforeSave", "beforeUpdate", "BeforeInsert", "$use(", "$extends(")
_SQL_WRITE = ("insert ", "update ", "replace ", "merge ")


def _plaintext_password(value: Value | None) -> Label | None:
    if value is None:
        return None
    return next((l for l in value.real_labels() if l.kind in ("password", "remote") and not l.clears("plaintext-password-storage")), None)


def _password_field(hooks: Any, literal: ir.Expr | None, value: Value | None) -> tuple[str, Label] | None:
    """The first field of an object literal named like a password whose value is a password or request data."""
    fields = options(hooks, literal)
    if fields is None or value is None:
        return None
    for key in fields.keys:
        name = const(key)
        if isinstance(name, str) and name_class(name) == "password":
            label = _plaintext_password(value.item(name))
            if label is not None:
                return name, label
    return None


def _hooks_free_store(hooks: Any, event: CallEvent) -> bool:
    """Writes no model hook can rewrite: Prisma, the MongoDB driver, knex, or a model defined in this file without one."""
    qual = event.qual or ""
    if qual.startswith(("@prisma/client.", "knex")) or ".collection()." in qual or "prisma" in _receiver_words(event):
        return True
    return qual.startswith(("mongoose.model().", "sequelize.define().")) and not any(word in hooks.file.text for word in _HASHING_HOOKS)


@on("call")
def stored_password(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    method = event.method
    if method in ("query", "execute", "run") and len(event.node.args) > 1:
        _sql_password(analyzer, event)
        return
    if method not in _WRITES or not event.node.args or not _record_write(event) or not _hooks_free_store(hooks, event):
        return
    index = _WRITES[method]
    if index >= len(event.node.args):
        return
    record, value = event.node.args[index], event.args[index]
    if isinstance(record, ir.Dict) and get(record, "$set") is not None:
        record, value = get(record, "$set"), value.item("$set")
    found = _password_field(hooks, record, value)
    if found is None and index == 0 and options(hooks, record) is not None:
        data = get(options(hooks, record), "data")
        found = _password_field(hooks, data, value.item("data"))
    if found is not None:
        name, label = found
        analyzer.report("plaintext-password-storage", event.node.span, f"password stored in '{name}' without hashing", label, sink_note="stored")


def _sql_password(analyzer: Analyzer, event: CallEvent) -> None:
    """``pool.query('INSERT INTO users (email, password) VALUES ($1, $2)', [email, password])``."""
    sql = event.args[0].const
    if not isinstance(sql, str) or not sql.lstrip().lower().startswith(_SQL_WRITE) or "pass" not in sql.lower():
        return
    params = event.node.args[1]
    items = params.items if isinstance(params, ir.Seq) else ()
    for index, item in enumerate(items):
        name = item.id if isinstance(item, ir.Name) else item.name if isinstance(item, ir.Attr) else ""
        value = event.args[1].item(index)
        label = _plaintext_password(value) if name_class(name) == "password" else None
        if label is not None:
            analyzer.report("plaintext-password-storage", event.node.span, f"password '{name}' written by SQL without hashing", label, sink_note="stored")
            return
