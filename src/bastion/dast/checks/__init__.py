"""The check families. Each module has ``NAME``, ``PHASE`` and ``run(ctx)``.

Phases order the run: ``crawl`` observers see every response; ``active``
checks fuzz operations concurrently; ``timing`` checks run alone (a slow
answer must be the probe's doing, not a neighbour's); ``authz`` and ``global``
act across operations and identities; ``burst`` runs last, because a working
rate limit or lockout may shut the run out.
"""

from __future__ import annotations

import importlib
from types import ModuleType

CHECK_MODULES = (
    "bastion.dast.checks.passive",
    "bastion.dast.checks.injection",
    "bastion.dast.checks.nosql",
    "bastion.dast.checks.outbound",
    "bastion.dast.checks.timing",
    "bastion.dast.checks.redos",
    "bastion.dast.checks.access",
    "bastion.dast.checks.mass_assignment",
    "bastion.dast.checks.surface",
    "bastion.dast.checks.jwt",
    "bastion.dast.checks.tls",
    "bastion.dast.checks.login",
)

PHASES = ("active", "timing", "authz", "global", "burst")


def load_checks(only: tuple[str, ...] | None = None, exclude: tuple[str, ...] = ()) -> list[ModuleType]:
    modules = [importlib.import_module(name) for name in CHECK_MODULES]
    known = {m.NAME for m in modules}
    unknown = sorted(set(only or ()) | set(exclude)) 
    unknown = [name for name in unknown if name not in known]
    if unknown:
        from bastion.dast.options import DastError

        raise DastError(f"unknown check(s) {', '.join(unknown)} (known: {', '.join(sorted(known))})")
    return [m for m in modules if (only is None or m.NAME in only) and m.NAME not in exclude]


def check_names() -> list[str]:
    return sorted(importlib.import_module(name).NAME for name in CHECK_MODULES)
