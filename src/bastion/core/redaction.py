"""Secret values never leave Bastion: what every engine uses to hide a value and to fingerprint it.

A finding about a secret needs a stable fingerprint (baselines, history de-duplication) that says nothing
about the value. A digest keyed with a public salt would not do: anyone holding a report could test
guesses of a weak password against it. The key is secret instead:

- ``BASTION_FINGERPRINT_KEY`` (at least 32 characters; e.g. ``python -c "import secrets;
  print(secrets.token_hex(32))"``), set by a team in its CI secrets and in each member's environment, so
  that baselines made anywhere in the team agree;
- else a random key made once per user and kept in Bastion's state folder (:func:`bastion.host.state.secret_key`);
- if that folder cannot be used safely (read-only, another user's), a random key for this run alone: nothing
  leaks, but fingerprints then match no baseline, which :func:`ephemeral_key_reason` says.

Values without a public format of their own (a password, a token found only by its key name) are shown
as :data:`REDACTED`: no prefix, no length.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import secrets

from bastion.host import state

REDACTED = "[redacted]"
MIN_SHARED_KEY_CHARS = 32


class FingerprintKeyError(ValueError):
    """The shared fingerprint key is too weak to use."""


_ephemeral: list[str] = []  # why this process fell back to a key of its own, if it did


@functools.lru_cache(maxsize=1)
def fingerprint_key() -> bytes:
    """The key of every secret fingerprint (read once per process; workers inherit it)."""
    shared = os.environ.get("BASTION_FINGERPRINT_KEY")
    if shared is not None:
        if len(shared) < MIN_SHARED_KEY_CHARS:
            raise FingerprintKeyError(f"BASTION_FINGERPRINT_KEY must be at least {MIN_SHARED_KEY_CHARS} characters "
                                      "of random text (python -c \"import secrets; print(secrets.token_hex(32))\")")
        return hashlib.sha256(b"bastion fingerprint key\0" + shared.encode("utf-8", "surrogatepass")).digest()
    try:
        return state.secret_key("fingerprint")
    except state.StateError as exc:
        _ephemeral.append(f"secret fingerprints hold for this run only (no baseline will match them): cannot keep "
                          f"the fingerprint key: {exc}; set BASTION_FINGERPRINT_KEY to use a shared one")
        return secrets.token_bytes(state.KEY_BYTES)


def ephemeral_key_reason() -> str | None:
    """Why fingerprints of this process match no earlier run, if the key is one of its own; else None."""
    return _ephemeral[0] if _ephemeral else None


def secret_fingerprint(value: str) -> str:
    """A keyed digest of a secret value: stable under one key, useless for testing guesses without it."""
    return hashlib.blake2b(value.encode("utf-8", "surrogatepass"), key=fingerprint_key(), digest_size=16).hexdigest()


def key_id() -> str:
    """Names the key without revealing it: results cached under another key are not reused."""
    return hmac.new(fingerprint_key(), b"bastion key id", hashlib.sha256).hexdigest()[:16]


def hide(text: str, value: str) -> str:
    """``text`` with every occurrence of ``value`` replaced by :data:`REDACTED`."""
    return text.replace(value, REDACTED) if value else text
