"""NoSQL operator injection: ``{"$ne": x}`` where a string belongs, in a JSON body or as ``name[$ne]=x`` in a
query (how Express's qs and PHP build objects). Proven by a match-all operator and a match-nothing operator
answering differently, twice with other operators."""

from __future__ import annotations

from dataclasses import replace

import re2

from bastion.dast.checks.common import for_each_operation, inputs
from bastion.dast.confirm import answered, signature, token
from bastion.dast.context import RunContext
from bastion.dast.spec import Operation, Parameter

NAME = "nosql"
PHASE = "active"

_MONGO_ERRORS = re2.compile(r"MongoError|MongoServerError|CastError|\$where|unknown operator|BSONTypeError")


def _pairs() -> list[tuple[dict, dict]]:
    """(matches everything, matches nothing) operator pairs."""
    miss = token()
    return [({"$ne": miss}, {"$eq": miss}), ({"$gt": ""}, {"$in": []}), ({"$regex": ".*"}, {"$regex": f"^{miss}$"})]


def _send(ctx: RunContext, op: Operation, param: Parameter, operator: dict):
    values = ctx.values(op, ctx.primary)
    if param.location == "body":
        request = ctx.request(op, values, (param, operator))
    else:
        del values[(param.location, param.name)]
        name, value = next(iter(operator.items()))
        raw = tuple((f"{param.name}[{name}]", str(v)) for v in (value if isinstance(value, list) else [value]))
        request = ctx.request(op, values, raw_query=raw or ((f"{param.name}[{name}]", ""),))
        if param.location == "form":
            request = replace(request, form=tuple(request.form or ()) + raw)
    return ctx.send(op, request, ctx.primary)


def run(ctx: RunContext) -> None:
    def work(op: Operation) -> None:
        for param in inputs(ctx, op):
            if param.location not in ("body", "query", "form"):
                continue
            first, second = _pairs()[:2], _pairs()[1:]
            for (all1, none1), (all2, none2) in zip(first, second):
                hit, miss = _send(ctx, op, param, all1), _send(ctx, op, param, none1)
                if not answered(hit, miss) or signature(hit) == signature(miss) or not (hit.ok or miss.ok):
                    continue  # two refusals that differ only in how they echo the input prove nothing
                hit2, miss2 = _send(ctx, op, param, all2), _send(ctx, op, param, none2)
                if signature(hit2)[0] == hit.status and signature(miss2)[0] == miss.status and signature(hit2) != signature(miss2):
                    dbms = "MongoDB" if _MONGO_ERRORS.search(miss.body + hit.body) else None
                    ctx.report("dast-nosql-injection", op, param.name,
                               f"{op.key}: {param.location} parameter '{param.name}' accepts query operators: "
                               f"{all1} answers {hit.status}, {none1} answers {miss.status}, and "
                               f"{all2} / {none2} split the same way", hit2, technique="operator", dbms=dbms)
                    break
    for_each_operation(ctx, work)
