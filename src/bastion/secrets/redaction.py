"""Keeping secret values out of every output: redacted text and fingerprints that reveal nothing.

Reports, logs, the cache and MCP answers all carry what the engine put in a
finding, so redaction happens once, here, when the finding is built.
"""

from __future__ import annotations

import hashlib

DEFAULT_SALT = "bastion-secrets-v1"
_SNIPPET_WIDTH = 160


def redact(secret: str) -> str:
    """First few characters (at most 4, at most a quarter), an ellipsis, and the length."""
    keep = min(4, len(secret) // 4)
    return f"{secret[:keep]}…({len(secret)} chars)"


def secret_digest(secret: str, salt: str = DEFAULT_SALT) -> str:
    """A keyed digest of the secret: stable for baselines, useless for recovering the value."""
    return hashlib.blake2b(secret.encode("utf-8", "surrogatepass"), key=salt.encode()[:64], digest_size=16).hexdigest()


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
