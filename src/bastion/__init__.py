"""Bastion: security guardrails for code written with AI assistants.

The public API: :func:`scan` (the CLI, the MCP server and the tests all go
through it), the :class:`Report` it returns, :func:`harden_prompt`, and the
rule registry in :mod:`bastion.rules`, and :func:`dast_scan` for a running API.
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


def dast_scan(target: str, **options):
    """Test a running REST API (see :func:`bastion.dast.api.dast_scan`); returns a Report with a ``summary``.

    Imported on call so that a scan never loads the dynamic-testing engine. (Not named ``dast``: that is
    the engine's package, which importing it binds on this module.)
    """
    from bastion.dast.api import dast_scan

    return dast_scan(target, **options)


__all__ = ["Report", "ScanError", "dast_scan", "harden_prompt", "scan", "__version__"]
