"""Secret scanning: provider formats, private keys, credentials in URLs and generic assignments.

Public entry points: the ``secrets`` file engine (:mod:`bastion.secrets.engine`),
:func:`scan_history` for every blob reachable in a git repository, and
:func:`scan_text` for one buffer.
"""

from __future__ import annotations

from typing import Any, Callable

from bastion.core.model import Finding, Note


def scan_text(text: str | bytes, path: str = "<text>", options: dict[str, Any] | None = None) -> list[Finding]:
    """Findings for one buffer, as if it were the file ``path`` (its name picks the context rules)."""
    from bastion.secrets import engine
    from bastion.secrets import options as opts

    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    return engine.scan_file(data, path, opts.parse(options))


def scan_history(repo_path: str, options: dict[str, Any], progress: Callable[[int, int], None] | None = None,
                 jobs: int | None = None) -> list[Finding | Note]:
    """Every blob reachable from every ref, scanned once; findings attributed to where each secret first appeared.

    ``jobs``: processes that scan blobs (None: every CPU on machines of four or more, for large histories).
    """
    from bastion.secrets.history import scan_history as run

    return run(repo_path, options, progress, jobs)


__all__ = ["scan_history", "scan_text"]
