"""Alert rules for the user's stack: ``bastion logs rules --for prometheus|loki|fail2ban``.

Each generator returns files (name -> text) so the CLI can print one or write
a folder, and the tests can hand them to the real tools (``promtool``,
``fail2ban-regex``).
"""

from __future__ import annotations

from collections.abc import Callable

from bastion.logs.rulegen.settings import RuleSettings

TARGETS: dict[str, str] = {
    "prometheus": "bastion.logs.rulegen.prometheus",
    "loki": "bastion.logs.rulegen.loki",
    "fail2ban": "bastion.logs.rulegen.fail2ban",
}


def generate(target: str, settings: RuleSettings | None = None) -> dict[str, str]:
    """The files for ``target``: file name -> contents."""
    import importlib

    if target not in TARGETS:
        raise ValueError(f"unknown rule target {target!r} (choose from {', '.join(TARGETS)})")
    module = importlib.import_module(TARGETS[target])
    build: Callable[[RuleSettings], dict[str, str]] = module.files
    return build(settings or RuleSettings())


__all__ = ["TARGETS", "RuleSettings", "generate"]
