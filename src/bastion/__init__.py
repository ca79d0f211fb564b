"""Bastion: security guardrails for code written with AI assistants.

The public API, which the CLI, the MCP server and the tests all go through: :func:`scan` and the
:class:`Report` it returns; :func:`deps`, :func:`check_packages`, :func:`sbom`, :func:`db_status`,
:func:`db_update`, :func:`secrets_history`, :func:`harden_prompt` and :func:`review_prompt` (in
:mod:`bastion.commands`); and the rule registry in :mod:`bastion.rules`. Every function raises
:class:`ScanError` with a message for the user when it cannot do its job.
"""

__version__ = "0.1.0"

from bastion.api import ScanError, scan  # noqa: E402
from bastion.commands import (  # noqa: E402
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
from bastion.result import Report  # noqa: E402

__all__ = [
    "DepsSettings", "PackageSpec", "Report", "ScanError", "check_packages", "db_status", "db_update", "deps",
    "harden_prompt", "review_prompt", "sbom", "scan", "secrets_history", "__version__",
]
