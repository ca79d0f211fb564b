"""Which literal, next to a credential's name, is a hard-coded credential (``if password == 'root'``).

Shared by the Python and JavaScript checks of ``hardcoded-credential``. The secrets engine reports long
random values assigned to secret-named keys; this rule adds what it leaves out on purpose: comparisons
with a literal (a backdoor or a default account) and short literals (``password = "root"``), which a
guesser tries first and no entropy test finds.
"""

from __future__ import annotations

#: The secrets engine's generic detector takes literals of this length and more: shorter ones are ours.
SECRETS_ENGINE_MIN_LENGTH = 8
#: Values that stand for "no credential" or a mask, not for one.
_NOT_CREDENTIALS = frozenset({"none", "null", "undefined", "true", "false", "yes", "no", "on", "off", "required",
                              "optional", "hidden", "redacted", "password", "secret", "token", "bearer", "basic",
                              "string", "text", "str", "env", "unset", "empty", "n/a", "na", "x", "xx"})


#: Last words of names that describe a credential rather than hold one (credentialSource, passwordPolicy).
_DESCRIBING_WORDS = frozenset({"source", "type", "mode", "kind", "method", "provider", "strategy", "store", "field",
                               "name", "policy", "label", "prompt", "hint", "placeholder", "format", "pattern",
                               "regex", "length", "min", "max", "status", "state", "error", "message", "url", "path",
                               "file", "env", "var", "header", "param", "key", "id", "count", "rule", "rules"})


def _words(name: str) -> list[str]:
    words, current = [], ""
    for char in name:
        if not char.isalnum():
            words, current = words + [current] if current else words, ""
        elif char.isupper() and current and current[-1].islower():
            words, current = words + [current], char
        else:
            current += char
    return [w.lower() for w in (words + [current] if current else words)]


def holds_credential(name: str) -> bool:
    """False for names that describe a credential (``credentialSource``, ``PASSWORD_MIN_LENGTH``)."""
    words = _words(name)
    return bool(words) and words[-1] not in _DESCRIBING_WORDS


def credential_literal(value: object, *, compared: bool) -> str | None:
    """The literal when it is a credential written into the code, else None.

    ``compared``: the literal is compared with the credential (any length counts); otherwise it is assigned
    (only shorter than the secrets engine's minimum, so that one value is reported once).
    """
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or text.lower() in _NOT_CREDENTIALS or not any(c.isalnum() for c in text):
        return None  # empty (no password set), a mask (****), or a word naming the kind of credential
    if any(c.isspace() for c in text) or text.startswith(("$", "{", "<", "%")):
        return None  # a sentence, a template or a placeholder, not a password
    if not compared and len(text) >= SECRETS_ENGINE_MIN_LENGTH:
        return None
    return text


def masked(text: str) -> str:
    """What a report may show of the literal: its first character and its length."""
    return f"{text[:1]}…({len(text)} chars)"
