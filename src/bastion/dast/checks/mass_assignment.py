"""Mass assignment: a create or update accepts privileged fields the client should never set (role, is_admin,
balance...). Proven when the field comes back with our value, and without it does not."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bastion.dast.context import RunContext
from bastion.dast.spec import Operation

NAME = "mass_assignment"
PHASE = "authz"

#: Field -> the privileged value to try. Schema-declared response-only fields are tried too.
PRIVILEGED: dict[str, Any] = {
    "role": "admin", "roles": ["admin"], "is_admin": True, "isAdmin": True, "admin": True, "is_staff": True,
    "is_superuser": True, "verified": True, "is_verified": True, "email_verified": True, "balance": 1000000,
    "credits": 1000000, "permissions": ["*"], "plan": "enterprise", "approved": True,
}


def run(ctx: RunContext) -> None:
    for op in ctx.operations:
        if op.method in ("POST", "PUT", "PATCH") and op.body_kind == "body" and ctx.fuzzable(op):
            probe(ctx, op)


def _candidates(op: Operation) -> dict[str, Any]:
    declared = {p.name for p in op.params("body")}
    fields = {k: v for k, v in PRIVILEGED.items() if k not in declared}
    for status, response in op.responses.items():
        schema = ((response or {}).get("content", {}).get("application/json", {}).get("schema")
                  if isinstance(response, dict) else None)
        props = schema.get("properties") if isinstance(schema, dict) else None
        for name, sub in (props or {}).items():
            if name in PRIVILEGED and name not in declared:
                fields[name] = PRIVILEGED[name]
    return fields


def _value_of(data: Any, field: str) -> Any:
    if isinstance(data, dict):
        if field in data:
            return data[field]
        for value in data.values():
            if isinstance(value, dict) and field in value:
                return value[field]
    return None


def probe(ctx: RunContext, op: Operation) -> None:
    identity = ctx.primary
    values = ctx.values(op, identity)
    plain = ctx.request(op, values)
    before = ctx.send(op, plain, identity)
    if not before.ok:
        return
    for field, value in _candidates(op).items():
        if _value_of(before.json(), field) == value:
            continue
        forged = ctx.send(op, replace(plain, json={**(plain.json or {}), field: value}), identity)
        if not forged.ok or _value_of(forged.json(), field) != value:
            continue
        reread = ctx.send(op, plain, identity) if op.method != "POST" else None
        stuck = reread is not None and _value_of(reread.json(), field) == value
        ctx.report("dast-mass-assignment", op, field,
                   f"{op.key} accepts the privileged field '{field}': sent as {value!r} it came back set "
                   f"(without it the answer says {_value_of(before.json(), field)!r})"
                   + ("; it stayed set on the next update" if stuck else ""),
                   forged, field=field)
        return
