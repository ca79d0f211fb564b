"""The access-log fast path: which lines of a chunk deserve a full parse.

Most lines of an access log are a browser fetching a page: nothing to see.
One Hyperscan pass over a whole chunk (RE2 where Hyperscan is not installed)
finds the lines that could matter: an error or client-error status, a request
target with characters or words attacks need, a scanner's user agent, a login
route, a sensitive file, a credential or personal data in the URL, a logged
header. Only those lines are parsed; the rest are counted per minute.
The patterns are a superset of what the detectors look for, so skipping a line
never hides a signal (tests check this on the labelled corpus).
"""

from __future__ import annotations

from functools import lru_cache

import re2

from bastion.logs.signals import leaks, scanners

_METHOD = r'"[A-Z]{3,10} '
#: What payloads need in a request target, raw or encoded. Not ``+``, ``%20``, ``%2C``, ``%2F`` or ``%3D`` alone:
#: searches and nested URLs are full of them; SQL keywords and tautologies are looked for instead.
_ODD = (r"['<>`$\{\}|;\\]|\.\.|%(?:2[2579]|3[bBcCeE]|5[bBcCdD]|60|7[bBcCdD]|0[0aAdD]|25|[cC][01]|[eE]0%80|u[0-9a-fA-F]{4})|"
        r"(?i:%2e%2e|%2e\.|\.%2e|&#|&[a-z]{2,6};|/etc/|/proc/|/bin/|select|union|sleep|script|jndi|eval|alert|exec|"
        r"gopher|dict:|file:|ldap:|localhost|127\.0\.0|169\.254|0x7f|2130706433|metadata|wget|curl|whoami|passwd|cmd|"
        r"benchmark|waitfor|having|information_schema|boot\.ini|win\.ini|php:|expect:|"
        r"(?:\+|%20|\s|/\*)(?:or|and|xor)(?:\+|%20|\s|/\*)+(?:\d|'|%27|\x22|%22|\(|true|not))|"
        r"@|%40|://(?:\[|0|10\.|192\.168\.|172\.)")


def _patterns(status_generic: bool) -> list[str]:
    status = r"(?:^|[\s\"|,:=])[45]\d\d(?:$|[\s\"|,])" if status_generic else r'" [45]\d\d '
    files = "|".join(re2.escape(w) for w in scanners.file_words())
    agents = "|".join(re2.escape(w) for w in scanners.agent_words())
    tokens = "|".join(re2.escape(p) for p in leaks.TOKEN_PARAMS)
    return [
        status,
        _METHOD + r'[^ "]*(?:' + _ODD + ")",
        "(?i:" + agents + ")",
        r'"(?:POST|PUT) [^ "]*(?i:log-?in|sign-?in|sign_in|session|token|auth|password|passwd|reset|wp-login|xmlrpc|otp|2fa|mfa)',
        _METHOD + r'[^ "]*/(?i:' + files + ")",
        r'(?i:[?&;](?:' + tokens + r')=)',
        r"(?i:authorization|cookie|bearer |basic |x-api-key)",
        r"\d{13}",
        r"\$\{|\(\) ?\{|%24%7[bB]|(?i:jndi)",  # lookups and Shellshock arrive in headers too
    ]


class LinePicker:
    """Offsets of the lines in a chunk that match any pattern."""

    def __init__(self, status_generic: bool = False) -> None:
        self.patterns = _patterns(status_generic)
        self._hyperscan = _hyperscan_db(tuple(self.patterns))
        self._re2 = None if self._hyperscan else re2.compile("(?m)^.*?(?:" + "|".join(f"(?:{p})" for p in self.patterns) + ")")

    def line_starts(self, chunk: bytes) -> list[int]:
        """Start offsets (sorted, distinct) of the lines worth parsing."""
        if self._hyperscan is not None:
            ends: list[int] = []
            self._hyperscan.scan(chunk, match_event_handler=lambda _i, _s, end, _f, _c: ends.append(end))
            starts = {chunk.rfind(b"\n", 0, max(end - 1, 0)) + 1 if end else 0 for end in ends}
            return sorted(starts)
        return [m.start() for m in self._re2.finditer(chunk)]


@lru_cache(maxsize=4)
def _hyperscan_db(patterns: tuple[str, ...]):
    try:
        import hyperscan
    except ImportError:  # no wheel for this platform: RE2 does the same job, slower
        return None
    from bastion.secrets.hyperscan_db import translate

    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    expressions = [translate(p.encode()) for p in patterns]
    db.compile(expressions=expressions, ids=list(range(len(expressions))), flags=[hyperscan.HS_FLAG_MULTILINE] * len(expressions))
    return db
