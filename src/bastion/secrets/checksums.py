"""Checksums that some providers build into their tokens.

A token whose checksum verifies was almost certainly minted by the provider,
so its finding gets high confidence; one that fails is probably a hand-typed
fake and gets low confidence (still reported: a typo'd real token is a leak).
"""

from __future__ import annotations

import base64
import binascii
import json

BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def base62(number: int, width: int = 6) -> str:
    """``number`` in base 62 (GitHub's alphabet), left-padded with '0' to ``width``."""
    digits = []
    while number:
        number, rem = divmod(number, 62)
        digits.append(BASE62[rem])
    return "".join(reversed(digits)).rjust(width, "0")


def github_crc32(random_part: str) -> str:
    """The 6-character suffix GitHub and npm append: CRC32 of the random part, base62."""
    return base62(binascii.crc32(random_part.encode("ascii")))


def verify_github_crc32(token: str) -> bool:
    """``prefix_`` + 30 random + 6 checksum characters (ghp_, gho_, ghu_, ghs_, ghr_, npm_)."""
    _, sep, body = token.partition("_")
    if not sep or len(body) != 36 or not body.isascii():
        return False
    return github_crc32(body[:30]) == body[30:]


def _b64url_json(segment: str) -> object:
    padded = segment + "=" * (-len(segment) % 4)
    return json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))


def verify_jwt(token: str) -> bool:
    """A JWT's header and payload decode to JSON objects and the header names an algorithm."""
    parts = token.split(".")
    if len(parts) != 3:
        return False
    try:
        header, payload = _b64url_json(parts[0]), _b64url_json(parts[1])
    except (ValueError, UnicodeDecodeError, binascii.Error):
        return False
    return isinstance(header, dict) and isinstance(payload, dict) and isinstance(header.get("alg"), str)


VERIFIERS = {"github-crc32": verify_github_crc32, "jwt": verify_jwt}


def verify(kind: str, secret: str) -> bool:
    return VERIFIERS[kind](secret)
