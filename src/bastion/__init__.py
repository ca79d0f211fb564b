"""Bastion: security guardrails for code written with AI assistants.

The public API: :func:`scan` (the CLI, the MCP server and the tests all go
through it), the :class:`Report` it returns, :func:`harden_prompt`,
:func:`analyze_logs` (``bastion logs``), and the
rule registry in :mod:`bastion.rules`.
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


__all__ = ["Report", "ScanError", "analyze_logs", "harden_prompt", "scan", "__version__"]
