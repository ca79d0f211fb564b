"""Make untrusted text safe for each output medium.

Everything a report prints may come from scanned files: messages quote code,
snippets are code. A snippet is data, and must not be able to drive the
reader's terminal (ANSI escapes, carriage returns), hide itself (Unicode bidi
overrides, the "Trojan Source" trick), break an XML document (characters
XML 1.0 forbids) or fail to encode (lone surrogates left by
``surrogateescape`` decoding). All mapping is done with ``str.translate``:
linear time, no regular expressions.
"""

from __future__ import annotations

#: Lone surrogates cannot be encoded as UTF-8; they become U+FFFD.
_SURROGATES = {cp: "\ufffd" for cp in range(0xD800, 0xE000)}

#: Bidirectional controls reorder what a reader sees; show them by name.
_BIDI = {cp: f"<U+{cp:04X}>" for cp in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)}

#: C0 and C1 control characters and DEL, except tab and newline, shown as escapes.
_CONTROLS = {
    cp: f"\\x{cp:02x}" for cp in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)) if cp not in (0x09, 0x0A)
}

_PRINTABLE = str.maketrans({**_SURROGATES, **_CONTROLS, **_BIDI})
_ONE_LINE = str.maketrans({**_SURROGATES, **_CONTROLS, **_BIDI, 0x0A: " ", 0x09: " "})
#: XML 1.0 also forbids U+FFFE and U+FFFF.
_XML = str.maketrans({**_SURROGATES, **_CONTROLS, **_BIDI, 0xFFFE: "\ufffd", 0xFFFF: "\ufffd"})
_ENCODABLE = str.maketrans(_SURROGATES)


def printable(text: str) -> str:
    """Text for a terminal or a Markdown page: newlines and tabs kept, other controls visible."""
    return text.translate(_PRINTABLE)


def one_line(text: str) -> str:
    """Like :func:`printable`, and newlines and tabs become spaces (headings, table cells, labels)."""
    return text.translate(_ONE_LINE)


def xml_text(text: str) -> str:
    """Text that XML 1.0 accepts in element content and attributes (escaping is ElementTree's job)."""
    return text.translate(_XML)


def encodable(text: str) -> str:
    """Text that encodes as UTF-8: only lone surrogates are replaced (JSON and SARIF keep the rest verbatim)."""
    try:
        text.encode("utf-8")  # the common case, checked at C speed; a 20 MB SARIF log need not be translated
    except UnicodeEncodeError:
        return text.translate(_ENCODABLE)
    return text
