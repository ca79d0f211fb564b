"""Bastion: security guardrails for code written with AI assistants.

The public API, which the CLI, the MCP server and the tests all go through: :func:`scan` and the
:class:`Report` it returns; :func:`deps`, :func:`check_packages`, :func:`sbom`, :func:`db_status`,
:func:`db_update`, :func:`secrets_history`, :func:`harden_prompt` and :func:`review_prompt` (in
:mod:`bastion.interfaces.commands`); :func:`build_map` / :func:`review_map` (the contextual audit),
:func:`dast_scan` (a running API), :func:`analyze_logs` (``bastion logs``); and the rule registry in
:mod:`bastion.core.rules`. Every function raises :class:`ScanError` with a message for the user when it cannot
do its job.
"""

__version__ = "0.1.0"

from bastion.interfaces.api import ScanError, scan  # noqa: E402
from bastion.interfaces.commands import (  # noqa: E402
    DepsSettings,
    PackageSpec,
    check_packages,
    db_status,
    db_update,
    deps,
    harden_prompt,
    review_prompt,
    sbom,
    secrets_history,
)
from bastion.core.result import Report  # noqa: E402


def analyze_logs(paths=".", **options):
    """Attack signals, leaks and incidents from logs (see :func:`bastion.logs.analyze_logs`).

    Imported on call so that a scan never loads the log detectors.
    """
    from bastion.logs import analyze_logs as _analyze

    return _analyze(paths, **options)


def review_map(path=".", **options):
    """The contextual review map of an application (see :func:`bastion.audit.assess.audit`): entry points, review items, risk.

    Imported on call so that a scan never loads the audit. (Not called ``audit``: that is the
    :mod:`bastion.audit` package, whose import would replace the function's name.)
    """
    from bastion.audit.assess import audit as _audit

    return _audit(path, **options)


def build_map(path=".", config=None):
    """The application's entry points with inputs, guards and reached operations (see :func:`bastion.audit.build_map`)."""
    from bastion.audit import build_map as _build_map

    return _build_map(path, config)


def dast_scan(target: str, **options):
    """Test a running REST API (see :func:`bastion.dast.api.dast_scan`); returns a Report with a ``summary``.

    Imported on call so that a scan never loads the dynamic-testing engine. (Not named ``dast``: that is
    the engine's package, which importing it binds on this module.)
    """
    from bastion.dast.api import dast_scan

    return dast_scan(target, **options)


__all__ = [
    "DepsSettings", "PackageSpec", "Report", "ScanError", "analyze_logs", "build_map", "check_packages", "dast_scan",
    "db_status", "db_update", "deps", "harden_prompt", "review_map", "review_prompt", "sbom", "scan",
    "secrets_history", "__version__",
]
