"""Keeping secret values out of every output: redacted text and fingerprints that reveal nothing.

Reports, logs, the cache and MCP answers all carry what the engine put in a
finding, so redaction happens once, here, when the finding is built.
Fingerprints are keyed with the secret key of :mod:`bastion.core.redaction`.
"""

from __future__ import annotations

from bastion.core.redaction import REDACTED

_SNIPPET_WIDTH = 160


def redact(secret: str, public_format: bool) -> str:
    """How a secret is shown. One of a public format (``ghp_``, ``AKIA``): its first few characters (at
    most 4, at most a quarter), an ellipsis and its length, which the format tells anyway. Any other (a
    password, a value found by its key name): :data:`~bastion.core.redaction.REDACTED`, no prefix, no length."""
    if not public_format:
        return REDACTED
    keep = min(4, len(secret) // 4)
    return f"{secret[:keep]}…({len(secret)} chars)"


def snippet(line: str, spans: list[tuple[int, int, str]]) -> str:
    """``line`` with each (start, end, replacement) column span replaced, trimmed around the first."""
    out, pos = [], 0
    for start, end, replacement in sorted(spans):
        if start < pos:
            continue
        out.append(line[pos:start])
        out.append(replacement)
        pos = end
    out.append(line[pos:])
    text = "".join(out).strip()
    return text if len(text) <= _SNIPPET_WIDTH else text[: _SNIPPET_WIDTH - 1] + "…"
