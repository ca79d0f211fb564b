"""One dast run from options to findings: scope, spec, logins, crawl, then the check phases in order.

The crawl sends every operation once per identity with valid data: it gives
each active check its baseline, teaches the run the ids each identity owns,
and feeds the passive observers. Phases then run in the order of
:data:`bastion.dast.checks.PHASES`; a spent budget ends the run early with a
note saying which phases did not run (never a silent pass).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

from bastion.dast import checks as check_registry
from bastion.dast.auth import Sessions, infer_login, load_auth
from bastion.dast.canary import Canary
from bastion.dast.checks import passive
from bastion.dast.client import BudgetExhausted, Client
from bastion.dast.context import RunContext
from bastion.dast.options import DastError, DastOptions
from bastion.dast.routes import load_operations
from bastion.dast.rules import dast_rules
from bastion.dast.scope import Scope, normalize_target
from bastion.core.model import Finding, Note

#: progress(phase, requests sent so far, operations covered so far)
Progress = Callable[[str, int, int], None]
_CRAWL_ORDER = {"GET": 0, "HEAD": 0, "POST": 1, "PUT": 2, "PATCH": 2, "OPTIONS": 3, "DELETE": 4}


@dataclass
class DastSummary:
    target: str
    requests_sent: int = 0
    operations_total: int = 0
    operations_covered: int = 0
    duration_seconds: float = 0.0
    phases_run: list[str] = field(default_factory=list)
    stopped_early: str | None = None

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class DastOutcome:
    findings: list[Finding]
    notes: list[Note]
    summary: DastSummary


def run_dast(options: DastOptions, progress: Progress | None = None) -> DastOutcome:
    options.validate()
    started = time.monotonic()
    target = normalize_target(options.target)
    scope = Scope(target, options.allow_hosts)
    auth = load_auth(options.auth_file)
    modules = check_registry.load_checks(options.checks, options.exclude_checks)
    client = Client(target, scope, max_requests=options.max_requests, max_time=options.max_time,
                    concurrency=options.concurrency, timeout=options.timeout)
    summary = DastSummary(target)
    tell = progress or (lambda *_: None)
    try:
        client.probe()
        operations, notes = load_operations(options, client)
        if auth.login is None and (inferred := infer_login(operations)) is not None:
            auth.login = inferred
            notes.append(Note("info", f"treating {inferred.key} as the login operation (fields {inferred.username_field!r}, "
                                      f"{inferred.password_field!r}); name it in the auth file's 'login' to choose another"))
        with Canary() as canary:
            ctx = RunContext(options, client, auth, Sessions(auth, client), operations, dast_rules(), canary)
            ctx.notes.extend(notes)
            for identity in auth.identities:
                ctx.sessions.credentials(identity)
            seen = passive.install(ctx) if any(m.NAME == "passive" for m in modules) else None
            try:
                tell("crawl", client.counters.sent, len(client.counters.operations))
                crawl(ctx)
                summary.phases_run.append("crawl")
                for phase in check_registry.PHASES:
                    tell(phase, client.counters.sent, len(client.counters.operations))
                    for module in modules:
                        if module.PHASE == phase:
                            module.run(ctx)
                    if phase == "active" and seen is not None:
                        passive.finish(ctx, seen)
                    summary.phases_run.append(phase)
            except BudgetExhausted as exc:
                skipped = [p for p in ("crawl", *check_registry.PHASES) if p not in summary.phases_run]
                summary.stopped_early = str(exc)
                ctx.note("warning", f"{exc}: stopped before finishing phase(s) {', '.join(skipped)}; "
                                    f"raise --max-requests/--max-time to test everything")
    finally:
        client.close()
    summary.requests_sent = client.counters.sent
    summary.operations_total = len(operations)
    summary.operations_covered = len({o.key for o in operations} & client.counters.operations)
    summary.duration_seconds = time.monotonic() - started
    tell("done", summary.requests_sent, summary.operations_covered)
    return DastOutcome(ctx.findings, ctx.notes, summary)


def crawl(ctx: RunContext) -> None:
    """Every sendable operation once per identity (anonymously when there are none), safe methods first."""
    identities = ctx.auth.identities or [None]
    for op in sorted(ctx.operations, key=lambda o: (_CRAWL_ORDER.get(o.method, 3), o.path)):
        if not ctx.sendable(op) or op.key in ctx.auth.login_keys():
            continue
        for identity in identities:
            exchange = ctx.send(op, ctx.request(op, ctx.values(op, identity)), identity)
            if identity is ctx.primary or op.key not in ctx.baselines:
                ctx.baselines[op.key] = exchange


__all__ = ["DastError", "DastOutcome", "DastSummary", "run_dast"]
