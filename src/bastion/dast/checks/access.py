"""Authorization between identities. BOLA: identity B reads or changes an object of identity A (ids learned from
A's own answers or the auth file). BFLA: a non-admin identity reaches an admin operation."""

from __future__ import annotations

from bastion.dast.confirm import signature, token
from bastion.dast.context import RunContext
from bastion.dast.spec import Operation

NAME = "access"
PHASE = "authz"

_ADMIN_WORDS = ("admin", "internal", "manage", "staff", "superuser")


def run(ctx: RunContext) -> None:
    users = [i for i in ctx.auth.identities if not i.is_admin]
    if len(users) >= 2:
        for op in ctx.operations:
            if ctx.sendable(op) and op.params("path") and op.key not in ctx.auth.login_keys():
                bola(ctx, op, users[0], users[1])
    elif ctx.auth.identities:
        ctx.note("info", "BOLA not tested: the auth file names fewer than two non-admin identities")
    if users:
        for op in admin_operations(ctx):
            bfla(ctx, op, users[0])


def _owned(ctx: RunContext, op: Operation, identity) -> dict | None:
    """Values for ``op`` whose path ids all belong to ``identity`` (its own params or learned from its answers)."""
    values = ctx.values(op, identity)
    learned = ctx.learned.get(identity.name)
    for param in op.params("path"):
        if param.name in identity.params:
            continue
        if learned is None or ctx.learned_id(op, param, learned) is None:
            return None
    return values


def bola(ctx: RunContext, op: Operation, owner, intruder) -> None:
    values = _owned(ctx, op, owner)
    if values is None:
        return
    request = ctx.request(op, values)
    if op.method == "GET":
        mine = ctx.send(op, request, owner)
        theirs = ctx.send(op, request, intruder)
        if not (mine.ok and theirs.ok and signature(mine) == signature(theirs)):
            return
        anonymous = ctx.send(op, request, None)
        own_values = _owned(ctx, op, intruder)
        control = ctx.send(op, ctx.request(op, own_values), intruder) if own_values and own_values != values else None
        distinct = control is not None and signature(control) != signature(mine)
        if anonymous.ok and signature(anonymous) == signature(mine) and not distinct:
            return  # a public object, not someone else's
        again = ctx.send(op, request, intruder)
        if again.ok and signature(again) == signature(mine):
            ids = {p.name: values[("path", p.name)] for p in op.params("path")}
            ctx.report("dast-bola", op, op.params("path")[0].name,
                       f"{op.key}: identity '{intruder.name}' reads the object {ids} of identity '{owner.name}' "
                       f"(the same answer as the owner gets{'; the anonymous caller is refused' if not anonymous.ok else ''})",
                       again, owner=owner.name, intruder=intruder.name, action="read")
    elif op.method in ("PUT", "PATCH") and ctx.fuzzable(op):
        _bola_write(ctx, op, owner, intruder, values)


def _bola_write(ctx: RunContext, op: Operation, owner, intruder, values: dict) -> None:
    reader = next((o for o in ctx.operations if o.method == "GET" and o.path == op.path), None)
    field = next((p for p in op.params("body", "form") if p.schema.get("type", "string") == "string"
                  and not p.schema.get("enum") and not p.schema.get("format")), None)
    if reader is None or field is None:
        return
    marker = token("bola")
    changed = ctx.send(op, ctx.request(op, values, (field, marker)), intruder)
    if not changed.ok:
        return
    seen = ctx.send(reader, ctx.request(reader, _owned(ctx, reader, owner) or values), owner)
    if marker in seen.body:
        ctx.report("dast-bola", op, field.name,
                   f"{op.key}: identity '{intruder.name}' changed field '{field.name}' of an object of identity "
                   f"'{owner.name}', who then read the change back", changed, owner=owner.name,
                   intruder=intruder.name, action="write")


def admin_operations(ctx: RunContext) -> list[Operation]:
    """Operations the auth file names as admin-only, else those whose path, tags or id say admin."""
    if ctx.auth.admin_operations:
        return [o for o in ctx.operations if o.key in ctx.auth.admin_operations and ctx.sendable(o)]
    chosen = []
    for op in ctx.operations:
        words = " ".join([op.path.lower(), op.operation_id.lower(), *(t.lower() for t in op.tags)])
        if any(w in words for w in _ADMIN_WORDS) and ctx.sendable(op) and op.method in ("GET", "POST", "PUT", "PATCH"):
            chosen.append(op)
    return chosen


def bfla(ctx: RunContext, op: Operation, user) -> None:
    request = ctx.request(op, ctx.values(op, user))
    answer = ctx.send(op, request, user)
    if not answer.ok:
        return
    anonymous = ctx.send(op, request, None)
    admin = next((i for i in ctx.auth.identities if i.is_admin), None)
    admin_answer = ctx.send(op, request, admin) if admin else None
    guarded = anonymous.status in (401, 403)
    if not guarded and admin_answer is None:
        return
    again = ctx.send(op, request, user)
    if again.ok and (admin_answer is None or admin_answer.ok):
        ctx.report("dast-bfla", op, None,
                   f"{op.key} is an admin operation, and the non-admin identity '{user.name}' ({user.role}) gets "
                   f"{again.status}" + (" (an anonymous caller gets " + str(anonymous.status) + ")" if guarded else
                                        " (it needs no credentials at all)"),
                   again, identity=user.name)
