"""What every active check does the same way: pick its inputs, send one payload, run over operations."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Iterator

from bastion.dast.client import Exchange
from bastion.dast.context import RunContext
from bastion.dast.spec import Operation, Parameter
from bastion.dast.values import is_stringish

PAYLOAD_LOCATIONS = ("query", "path", "body", "form")


def inputs(ctx: RunContext, op: Operation, numeric: bool = False) -> Iterator[Parameter]:
    """Parameters a payload string may go into (numbers too when ``numeric``), for an operation that may be fuzzed."""
    if not ctx.fuzzable(op):
        return
    for param in op.parameters:
        if param.location not in PAYLOAD_LOCATIONS:
            continue
        if is_stringish(param.schema) or (numeric and param.schema.get("type") in ("integer", "number")):
            yield param


def base_value(ctx: RunContext, op: Operation, param: Parameter) -> Any:
    return ctx.values(op, ctx.primary).get((param.location, param.name), "")


def send_payload(ctx: RunContext, op: Operation, param: Parameter, payload: Any, *, timeout: float | None = None,
                 follow: bool = False) -> Exchange:
    """``op`` with valid values everywhere and ``payload`` in ``param``, sent as the primary identity."""
    request = ctx.request(op, ctx.values(op, ctx.primary), (param, payload))
    if follow:
        from dataclasses import replace

        request = replace(request, follow_redirects=True)
    return ctx.send(op, request, ctx.primary, timeout=timeout)


def baseline(ctx: RunContext, op: Operation) -> Exchange | None:
    return ctx.baselines.get(op.key)


def for_each_operation(ctx: RunContext, work: Callable[[Operation], None], operations: list[Operation] | None = None,
                       parallel: bool = True) -> None:
    """Run ``work`` on each operation, ``options.concurrency`` at a time; a spent budget stops the rest quietly."""
    ops = operations if operations is not None else ctx.operations
    if not parallel or ctx.options.concurrency == 1:
        for op in ops:
            work(op)
        return
    with ThreadPoolExecutor(max_workers=ctx.options.concurrency) as pool:
        for future in [pool.submit(work, op) for op in ops]:
            future.result()  # re-raises BudgetExhausted: the engine stops the phase and says so
