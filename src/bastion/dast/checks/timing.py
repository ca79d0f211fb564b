"""Blind injection by time: SQL sleep functions per DBMS and shell ``sleep``. Runs alone (phase ``timing``) so a
slow answer is the probe's doing; proven by slow, fast with a zero delay, slow again."""

from __future__ import annotations

import math

from bastion.dast.checks.common import base_value, baseline, for_each_operation, inputs, send_payload
from bastion.dast.confirm import prove_delay
from bastion.dast.context import RunContext
from bastion.dast.spec import Operation, Parameter

NAME = "timing"
PHASE = "timing"

#: (DBMS, payload with {d} for the delay in seconds): string and numeric contexts.
SQL_SLEEPS = (
    ("MySQL", "{v}' AND SLEEP({d})-- "),
    ("MySQL", "{v} AND SLEEP({d})"),
    ("PostgreSQL", "{v}';SELECT pg_sleep({d})-- "),
    ("PostgreSQL", "{v}' AND 1=(SELECT 1 FROM pg_sleep({d}))-- "),
    ("Microsoft SQL Server", "{v}';WAITFOR DELAY '0:0:{whole}'-- "),
    ("SQLite", "{v}' AND 1=(WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x<{n}) SELECT count(*)>0 FROM c)-- "),
)
SHELL_SLEEPS = ("{v};sleep {d};", "{v}|sleep {d}", "{v}$(sleep {d})", "{v}`sleep {d}`", "{v}&&sleep {d}")
#: SQLite has no sleep: a recursive count of this many rows per second of delay keeps it busy (about 1 us a row
#: on a shared CI core; a machine three times faster still shows the delay). Memory stays constant.
SQLITE_ROWS_PER_SECOND = 3_000_000
#: A work-based delay that ran but ended early is scaled to the server's speed, by at most this factor.
MAX_SPEEDUP = 30
#: Less extra time than this is noise, not work the payload made the server do.
MIN_WORK_SECONDS = 0.1


def run(ctx: RunContext) -> None:
    def work(op: Operation) -> None:
        before = baseline(ctx, op)
        if before is None or before.status == 0:
            return
        for param in inputs(ctx, op, numeric=True):
            if not ctx.reported("dast-sql-injection", op, param.name) and sql(ctx, op, param, before.elapsed):
                continue
            if not ctx.reported("dast-command-injection", op, param.name):
                shell(ctx, op, param, before.elapsed)
    for_each_operation(ctx, work, parallel=False)


def _fill(shape: str, value: str, delay: float, rate: int = SQLITE_ROWS_PER_SECOND) -> str:
    return shape.format(v=value, d=f"{delay:g}", whole=math.ceil(delay), n=int(delay * rate))


def _first_delay(ctx: RunContext, op: Operation, param: Parameter, base_time: float, shapes):
    """The first (label, shape) whose payload proves a delay, with its :class:`Timing`; None if none does."""
    value = str(base_value(ctx, op, param))
    delay = ctx.options.delay
    timeout = delay * 4 + 5
    for label, shape in shapes:
        rate = _work_rate(ctx, op, param, shape, value, base_time) if "{n}" in shape else SQLITE_ROWS_PER_SECOND
        proof = prove_delay(lambda d: send_payload(ctx, op, param, _fill(shape, value, d, rate), timeout=timeout),
                            delay, base_time)
        if proof:
            return label, proof
    return None


def _work_rate(ctx: RunContext, op: Operation, param: Parameter, shape: str, value: str, base_time: float) -> int:
    """Rows per second of delay for a delay made of work (SQLite has no sleep): as many as this server needs.

    How long a count takes depends on the server's CPU and load, so a fixed count proves nothing on a fast,
    idle machine. One probe with the default count: if the answer came later than usual but not late
    enough, the count is scaled to the time it took; the proof that follows (slow, fast, slow) is unchanged.
    """
    delay = ctx.options.delay
    probe = send_payload(ctx, op, param, _fill(shape, value, delay), timeout=delay * 4 + 5)
    took = probe.elapsed - base_time
    if probe.status == 0 or took >= delay * 0.8 or took < MIN_WORK_SECONDS:
        return SQLITE_ROWS_PER_SECOND
    return int(SQLITE_ROWS_PER_SECOND * min(MAX_SPEEDUP, delay / took * 1.25))


def _timings(proof) -> str:
    return f"took {proof.slow.elapsed:.1f} s and {proof.again.elapsed:.1f} s"


def sql(ctx: RunContext, op: Operation, param: Parameter, base_time: float) -> bool:
    found = _first_delay(ctx, op, param, base_time, SQL_SLEEPS)
    if found is None:
        return False
    dbms, proof = found
    ctx.report("dast-sql-injection", op, param.name,
               f"{op.key}: {param.location} parameter '{param.name}' runs {dbms} code: asking it to wait "
               f"{ctx.options.delay:g} s {_timings(proof)}, a zero wait {proof.fast.elapsed:.1f} s",
               proof.again, technique="time", dbms=dbms)
    return True


def shell(ctx: RunContext, op: Operation, param: Parameter, base_time: float) -> bool:
    if param.schema.get("type") in ("integer", "number"):
        return False
    found = _first_delay(ctx, op, param, base_time, [("shell", shape) for shape in SHELL_SLEEPS])
    if found is None:
        return False
    _, proof = found
    ctx.report("dast-command-injection", op, param.name,
               f"{op.key}: {param.location} parameter '{param.name}' reaches a shell: `sleep {ctx.options.delay:g}` "
               f"{_timings(proof)}, `sleep 0` {proof.fast.elapsed:.1f} s", proof.again, technique="time")
    return True
