"""Bastion: security guardrails for code written with AI assistants.

The public API: :func:`scan` (the CLI, the MCP server and the tests all go
through it), the :class:`Report` it returns, and the rule registry.
"""

__version__ = "0.1.0"

from bastion.api import ScanError, scan  # noqa: E402
from bastion.result import Report  # noqa: E402

__all__ = ["Report", "ScanError", "scan", "__version__"]
