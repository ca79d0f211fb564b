"""ReDoS by latency. The spec's ``pattern`` for a parameter is what the server validates with; the static ReDoS
analysis (bastion.sast.regex) builds the attack string for it. Proven when the attack grows the answer time far
faster than its length, twice, while a shorter pump stays fast. Runs alone (phase ``timing``)."""

from __future__ import annotations

from bastion.dast.checks.common import for_each_operation, inputs, send_payload
from bastion.dast.client import Exchange
from bastion.dast.context import RunContext
from bastion.dast.spec import Operation, Parameter
from bastion.sast.regex import redos as analyse

NAME = "redos"
PHASE = "timing"

#: Pump counts tried in turn: exponential patterns double per pump, polynomial ones need length.
PUMPS = {"exponential": (4, 6, 8, 10, 12, 14, 16, 19, 22, 26), "polynomial": (2_000, 8_000, 32_000)}
SLOW = 1.5  # seconds an attack must take, twice, to count


def run(ctx: RunContext) -> None:
    def work(op: Operation) -> None:
        for param in inputs(ctx, op):
            pattern = param.schema.get("pattern")
            if isinstance(pattern, str):
                probe(ctx, op, param, pattern)
    for_each_operation(ctx, work, parallel=False)


def probe(ctx: RunContext, op: Operation, param: Parameter, pattern: str) -> None:
    found = analyse(pattern)
    if found is None:
        return
    timeout = SLOW * 6

    def attack(pumps: int) -> Exchange:
        return send_payload(ctx, op, param, found.prefix + found.pump * pumps + found.suffix, timeout=timeout)

    counts = PUMPS["exponential" if found.kind == "exponential" else "polynomial"]
    for index, pumps in enumerate(counts):
        slow = attack(pumps)
        if slow.elapsed < SLOW and slow.status != 0:
            continue
        fewer = counts[index - 1] if index else 1
        fewer = fewer - 2 if found.kind == "exponential" and fewer > 2 else fewer // 2 or 1
        short = min((attack(fewer) for _ in range(2)), key=lambda e: e.elapsed)  # the quicker of two: load is noise
        again = attack(pumps)
        if (again.elapsed >= SLOW or again.status == 0) and short.elapsed * 4 < min(slow.elapsed, again.elapsed):
            ctx.report("dast-redos", op, param.name,
                       f"{op.key}: {param.location} parameter '{param.name}' is matched with the backtracking pattern "
                       f"{pattern[:80]!r} ({found.reason}); {pumps} repeats of {found.pump!r} took "
                       f"{slow.elapsed:.1f} s and {again.elapsed:.1f} s, {fewer} repeats {short.elapsed:.2f} s",
                       again, pattern=pattern[:200], kind=found.kind)
        return
