"""Report formats: one module per format, each a ``render(report) -> str``.

A format knows findings, not engines: modules here import only
:mod:`bastion.core.model` and :mod:`bastion.core.result`. Formats are imported on first
use, so writing JSON never loads rich.

Output is deterministic: the same report renders to the same string, byte for
byte (no timestamps, no absolute paths, sorted order). That is what lets CI
diff reports and GitHub match alerts across runs.
"""

from __future__ import annotations

import importlib
from pathlib import PurePath

from bastion.core.result import Report

#: Format name -> module with ``render(report) -> str``.
FORMATS: dict[str, str] = {
    "text": "bastion.report.text",
    "json": "bastion.report.json_format",
    "sarif": "bastion.report.sarif",
    "markdown": "bastion.report.markdown",
    "junit": "bastion.report.junit",
    "html": "bastion.report.html",
}

#: Where users and tools learn about Bastion (SARIF ``informationUri``, JSON ``tool``).
INFORMATION_URI = "https://github.com/bastion-security/bastion"

#: File suffixes that name a format, so ``--output report.sarif`` needs no ``--format``.
_SUFFIXES = {
    ".sarif": "sarif",
    ".json": "json",
    ".md": "markdown",
    ".markdown": "markdown",
    ".xml": "junit",
    ".txt": "text",
    ".html": "html",
    ".htm": "html",
    ".log": "text",
}


def available_formats() -> list[str]:
    """The format names ``--format`` accepts, sorted."""
    return sorted(FORMATS)


def guess_format(path: str) -> str | None:
    """The format a file name implies (``x.sarif.json`` is SARIF), or ``None`` when it implies none."""
    suffixes = [s.lower() for s in PurePath(path).suffixes]
    if ".sarif" in suffixes:
        return "sarif"
    return _SUFFIXES.get(suffixes[-1]) if suffixes else None


def render(report: Report, fmt: str, *, color: bool = False, width: int | None = None) -> str:
    """Render ``report`` in format ``fmt``.

    ``color`` and ``width`` only matter to formats meant for a terminal (they
    declare ``STYLED = True``); the others are files and ignore them.
    Raises ``ValueError`` naming the choices for an unknown format.
    """
    try:
        module_name = FORMATS[fmt]
    except KeyError:
        raise ValueError(f"unknown report format {fmt!r} (choose from {', '.join(available_formats())})") from None
    module = importlib.import_module(module_name)
    if getattr(module, "STYLED", False):
        return module.render(report, color=color, width=width)
    return module.render(report)
