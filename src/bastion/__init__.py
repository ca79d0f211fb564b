"""Bastion: security guardrails for code written with AI assistants.

The public API: :func:`scan` (the CLI, the MCP server and the tests all go
through it), the :class:`Report` it returns, :func:`harden_prompt`,
:func:`build_map` / :func:`review_map` (the contextual audit), :func:`dast_scan`
(a running API), :func:`analyze_logs` (``bastion logs``), and the rule registry in :mod:`bastion.rules`.
"""

__version__ = "0.1.0"

from bastion.api import ScanError, scan  # noqa: E402
from bastion.result import Report  # noqa: E402


def harden_prompt(task: str, **options):
    """Turn a coding request into a security-hardened prompt (see :func:`bastion.prompt.harden_prompt`).

    Imported on call so that a scan never loads the prompt knowledge base.
    """
    from bastion.prompt import harden_prompt as _harden

    return _harden(task, **options)


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


__all__ = ["Report", "ScanError", "analyze_logs", "build_map", "dast_scan", "harden_prompt", "review_map", "scan", "__version__"]
