"""The public face of dast: options in, a :class:`~bastion.core.result.Report` out (every report format works on it)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from bastion import __version__
from bastion.dast.engine import DastSummary, Progress, run_dast
from bastion.dast.options import DastError, DastOptions
from bastion.dast.rules import dast_rules
from bastion.core.model import Finding, Severity
from bastion.core.result import Report, ScanStats


@dataclass
class DastStats(ScanStats):
    """Scan statistics plus the run's own (JSON ``summary.stats.dast``): requests, operations covered, time."""

    dast: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "dast": self.dast}


@dataclass
class DastReport(Report):
    """A :class:`Report` plus what the run did: requests sent, operations covered, time taken."""

    summary: DastSummary | None = field(default=None)


def dast_scan(target: str, *, openapi: str | None = None, auth: str | None = None, routes_from: str | None = None,
              max_requests: int = 5000, max_time: float = 900.0, concurrency: int = 4,
              allow_hosts: tuple[str, ...] | list[str] = (), allow_destructive: bool = False,
              checks: list[str] | None = None, exclude_checks: list[str] | None = None, delay: float = 2.0,
              burst: int = 30, timeout: float = 10.0, ca_file: str | None = None,
              fail_on: str | Severity | None = "medium", progress: Progress | None = None, **extra: Any) -> DastReport:
    """Test the API running at ``target`` and return the confirmed findings.

    Raises :class:`DastError` (a ``ValueError``) for a bad option, spec or auth
    file, a target out of scope, or a target that does not answer.
    """
    if extra:
        raise DastError(f"unknown option(s): {', '.join(sorted(extra))}")
    from bastion.interfaces.api import assign_fingerprints

    options = DastOptions(target=target, openapi=openapi, auth_file=auth, routes_from=routes_from,
                          max_requests=max_requests, max_time=max_time, concurrency=concurrency, timeout=timeout,
                          allow_hosts=tuple(allow_hosts), allow_destructive=allow_destructive, delay=delay, burst=burst,
                          ca_file=ca_file, checks=tuple(checks) if checks else None,
                          exclude_checks=tuple(exclude_checks or ()))
    started = time.monotonic()
    outcome = run_dast(options, progress)
    findings = sorted(assign_fingerprints(outcome.findings), key=Finding.sort_key)
    rules = dast_rules()
    try:
        threshold = None if fail_on in (None, "never") else Severity.parse(str(getattr(fail_on, "value", fail_on)))
    except ValueError as exc:
        raise DastError(str(exc)) from None
    run = outcome.summary.to_dict()
    run.pop("duration_seconds")  # reports stay byte-identical across runs; the CLI prints the time
    stats = DastStats(engines=["dast"], duration_seconds=time.monotonic() - started, dast=run)
    return DastReport(root=outcome.summary.target, findings=findings,
                      rules={f.rule_id: rules[f.rule_id] for f in findings}, notes=outcome.notes, stats=stats,
                      fail_on=threshold, tool_version=__version__, summary=outcome.summary)
