"""Decode request text the way servers and frameworks do before detectors look at it.

An attacker hides ``' OR 1=1`` as ``%2527%20OR%201%3D1`` (URL-encoded twice),
as ``&#x27;`` (HTML entities), as ``\\x27`` (the hex escapes of C, JavaScript and PHP strings), in mixed case, with ``/**/`` for spaces or with
NUL bytes. Detectors see the text after every layer is peeled, lower-cased,
with NULs inside words dropped (one that ends a value is kept: it truncates a file name), SQL comments read as
the spaces they stand for, blanks as one space and line breaks as one line break (a shell's command separator).
"""

from __future__ import annotations

import html
import re
from html.entities import html5

import re2
from urllib.parse import unquote_plus

#: nginx writes bytes it must escape in a log line as ``\\xHH``.
_NGINX_ESCAPE = re2.compile(r"\\x([0-9A-Fa-f]{2})")
#: IIS-style ``%uHHHH``.
_PERCENT_U = re2.compile(r"%u([0-9A-Fa-f]{4})")
_INLINE_COMMENT = re2.compile(r"(?s)/\*.*?\*/")
#: Blanks read as one space; a line break stays one (a shell reads it as ``;``).
_BLANKS = re2.compile(r"[ \t\f\v]+")
_LINE_BREAK = re2.compile(r"[ \t\f\v]*[\r\n]\s*")
#: NULs inside a word go (``scr%00ipt``); those ending a value stay, the truncation they are (``x.php%00``).
_NUL_INSIDE = re2.compile(r"\x00+([^&.#?\x00])")
MAX_ROUNDS = 3
#: What :func:`html.unescape` replaces: ``&#`` references, ``&name;``, and the legacy names it reads without a
#: semicolon (``&lt``, ``&amp``). Looked for first: unescape tries every prefix of every ``&param`` of a query.
_ENTITY = re.compile("&(?:#|[A-Za-z0-9]+;|" + "|".join(sorted((re.escape(n) for n in html5 if not n.endswith(";")),
                                                            key=len, reverse=True)) + ")")
#: Overlong UTF-8 forms of ``.``, ``/`` and ``\\`` that old decoders accepted (a traversal classic).
_OVERLONG_CHARS = {"%c0%ae": ".", "%c0%af": "/", "%c1%9c": "\\", "%c0%2f": "/", "%e0%80%ae": ".", "%e0%80%af": "/", "%c1%1c": "\\"}
_OVERLONG = re2.compile("(?i)" + "|".join(re2.escape(k) for k in _OVERLONG_CHARS))


def unescape_log(text: str) -> str:
    """Undo the web server's own escaping in the log line (nginx ``\\x22``, Apache ``\\"``)."""
    if "\\" not in text:
        return text
    text = _NGINX_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    return text.replace('\\"', '"').replace("\\\\", "\\")


def _round(text: str) -> str:
    if "\\x" in text or "\\X" in text:
        text = _NGINX_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    if "%u" in text or "%U" in text:
        text = _PERCENT_U.sub(lambda m: chr(int(m.group(1), 16)), text)
    if "%" in text or "+" in text:
        if "%c0" in text.lower() or "%e0%80" in text.lower():
            text = _OVERLONG.sub(lambda m: _OVERLONG_CHARS[m.group(0).lower()], text)
        text = unquote_plus(text, errors="replace")
    if "&" in text and _ENTITY.search(text):
        text = html.unescape(text)
    return text


def normalize(text: str) -> str:
    """The text as an application would finally see it: decoded (up to three layers), lower-cased, no NULs inside
    words, blanks and line breaks collapsed."""
    for _ in range(MAX_ROUNDS):
        decoded = _round(text)
        if decoded == text:
            break
        text = decoded
    if "\x00" in text:
        text = _NUL_INSIDE.sub(r"\1", text)
    text = text.lower()
    if "/*" in text:
        text = _INLINE_COMMENT.sub(" ", text)
    if "\n" in text or "\r" in text:
        text = _LINE_BREAK.sub("\n", text)
    return _BLANKS.sub(" ", text) if "\t" in text or "  " in text or "\f" in text or "\v" in text else text
