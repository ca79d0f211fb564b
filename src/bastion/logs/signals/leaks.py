"""Leaks written to logs: credentials (Bastion's secret detectors), tokens in query strings,
logged Authorization and Cookie headers, e-mail addresses and payment card numbers.

Values never leave this module whole: every sample is redacted the way the
secret scanner redacts (:func:`bastion.secrets.redaction.redact`).
"""

from __future__ import annotations

from dataclasses import dataclass

import re

import re2

from bastion.secrets.redaction import redact

#: Query parameters that carry a credential (OAuth's ``code`` and presigned URLs' ``signature`` are meant to be there).
TOKEN_PARAMS = ("access_token", "id_token", "refresh_token", "token", "auth_token", "api_key", "apikey", "api-key",
                "client_secret", "secret", "password", "passwd", "pwd", "pass", "jwt", "session", "sessionid",
                "session_id", "private_token", "auth", "key_secret", "x-api-key", "private_key")
_QUERY_TOKEN = re2.compile(r"(?i)[?&;](" + "|".join(re2.escape(p) for p in TOKEN_PARAMS) + r")=([^&#\s\"]{6,})")
_HEADER = re2.compile(r"(?i)\b(authorization|proxy-authorization|cookie|set-cookie|x-api-key|x-auth-token)[\"']?\s*[:=]\s*[\"']?(?:\[\s*[\"'])?"
                      r"((?:bearer|basic|token|digest)\s+[A-Za-z0-9._~+/=-]{8,}|[A-Za-z0-9_.-]{1,64}=[^;\s\"']{8,}|[A-Za-z0-9._~+/=-]{16,})")
_EMAIL = re2.compile(r"(?i)\b[a-z0-9][a-z0-9._%+-]{0,63}@[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?)*\.[a-z]{2,24}\b")
_CARD = re2.compile(r"(?:^|[^0-9.\-])((?:\d[ -]?){12,18}\d)(?:$|[^0-9\-])")
_DIGITS = re2.compile(r"\d[\d -]{11,}\d")
#: Cheap first looks (the standard library's ``re`` on fixed-length and literal patterns: linear, and without
#: RE2's per-call cost, which dominates on short strings): 13 digits, spaces or dashes in a row, which
#: :data:`_DIGITS` needs.
_DIGIT_RUN = re.compile(r"[\d -]{13}")
_MASKS = ("***", "[redacted]", "[filtered]", "<redacted>", "redacted", "xxxx", "****", "[hidden]", "[masked]")


@dataclass(frozen=True)
class Leak:
    rule: str
    what: str
    sample: str


def masked(value: str) -> bool:
    lowered = value.lower()
    return any(m in lowered for m in _MASKS) or len(set(value)) <= 2


def luhn(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def card_brand(digits: str) -> str | None:
    """The network a number of this length and prefix belongs to (Visa, Mastercard, Amex, Discover, JCB), or None."""
    n = len(digits)
    if digits[0] == "4" and n in (13, 16, 19):
        return "visa"
    if n == 16 and (51 <= int(digits[:2]) <= 55 or 2221 <= int(digits[:4]) <= 2720):
        return "mastercard"
    if n == 15 and digits[:2] in ("34", "37"):
        return "amex"
    if n in (16, 19) and (digits[:4] == "6011" or digits[:2] == "65" or 644 <= int(digits[:3]) <= 649):
        return "discover"
    if n in (16, 19) and 3528 <= int(digits[:4]) <= 3589:
        return "jcb"
    return None


def has_long_number(text: str) -> bool:
    """Could ``text`` hold a card number (13 digits or more, maybe spaced)?"""
    return _DIGIT_RUN.search(text) is not None and _DIGITS.search(text) is not None


def may_hold_token(text: str) -> bool:
    """Could ``text`` hold a credential query parameter (``token=``...)? RE2 folds ``ſ`` to ``s``: so does this."""
    return any(part.endswith(TOKEN_PARAMS) for part in text.lower().replace("ſ", "s").split("=")[:-1])


def may_hold_header(text: str) -> bool:
    """Could ``text`` hold a logged credential header (a substring test: 3x cheaper than a regex call per line)?"""
    lowered = text.lower()
    return "cookie" in lowered or "authorization" in lowered or "x-api-key" in lowered or "x-auth-token" in lowered


def query_tokens(decoded_target: str) -> list[Leak]:
    if not may_hold_token(decoded_target):
        return []
    out = []
    for match in _QUERY_TOKEN.finditer(decoded_target):
        value = match.group(2)
        if not masked(value) and not value.startswith(("{", "$", "%")):
            out.append(Leak("log-token-in-url", f"{match.group(1)}= in the URL", f"{match.group(1)}={redact(value, public_format=False)}"))
    return out


def headers(text: str) -> list[Leak]:
    out = []
    for match in _HEADER.finditer(text):
        value = match.group(2)
        if not masked(value):
            out.append(Leak("log-auth-header", f"{match.group(1)} header logged", f"{match.group(1)}: {redact(value, public_format=False)}"))
    return out


def personal_data(text: str) -> list[Leak]:
    out = []
    for match in _EMAIL.finditer(text):
        address = match.group(0)
        user, _, domain = address.partition("@")
        if not domain.endswith((".png", ".jpg", ".js", ".css", ".svg", ".webp", ".gif")):
            out.append(Leak("log-personal-data", "e-mail address", f"{user[:1]}…@{domain}"))
    if has_long_number(text):
        for match in _CARD.finditer(text):
            digits = "".join(c for c in match.group(1) if c.isdigit())
            brand = card_brand(digits)
            if brand and luhn(digits):
                out.append(Leak("log-personal-data", f"{brand} card number", f"{digits[:4]}…{digits[-4:]} ({len(digits)} digits)"))
    return out


def _mask_card(match) -> str:
    digits = "".join(c for c in match.group(1) if c.isdigit())
    if not (card_brand(digits) and luhn(digits)):
        return match.group(0)
    masked = f"{digits[:4]}…{digits[-4:]}"
    return match.group(0).replace(match.group(1), masked)


def redact_text(text: str) -> str:
    """``text`` with credential query parameters, logged auth headers, card numbers and e-mail users redacted."""
    if has_long_number(text):
        text = _CARD.sub(_mask_card, text)
    if "@" in text:
        text = _EMAIL.sub(lambda m: m.group(0)[:1] + "…@" + m.group(0).split("@", 1)[1], text)
    if "=" in text and may_hold_token(text):
        text = _QUERY_TOKEN.sub(lambda m: m.group(0)[: m.start(2) - m.start(0)] + redact(m.group(2), public_format=False), text)
    if (":" in text or "=" in text) and may_hold_header(text):
        text = _HEADER.sub(lambda m: m.group(0)[: m.start(2) - m.start(0)] + redact(m.group(2), public_format=False), text)
    return text
