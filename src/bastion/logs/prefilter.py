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

from bastion.logs.allow import ASSET_SUFFIXES
from bastion.logs.signals import leaks, payloads, scanners

_METHOD = r'"[A-Z]{3,10} '
#: Separators a payload's words may have between them, raw or encoded once (twice-encoded text has ``%25``).
_GAP = r"(?:[\s+*/]|%20|%09|%0[bBcC])*"
#: What payloads need in a request target, raw or encoded once: the characters attacks cannot do without
#: (``(`` of every SQL, script and shell function call among them). Not ``+``, ``%20``, ``%2C``, ``%2F`` or
#: ``%3D`` alone: searches and nested URLs are full of them.
_ODD = (r"['<>`$\{\}|;\\()#]|\.\.|&&|--|%(?:2[2356789]|3[bBcCeE]|5[bBcCdD]|60|7[bBcCdD]|0[0aAdD]|[cC][01]|[eE]0%80|"
        r"u[0-9a-fA-F]{4})|(?i:%2e%2e|%2e\.|\.%2e|&#|&[a-z]{2,6};|/etc/|/proc/|/bin/|/dev/tcp|@|%40|"
        r"localhost|127\.\d|169\.254|0x7f|2130706433|017700000001|metadata|meta-data|100\.100\.100\.200)")
#: A payload word in the context the detectors in :mod:`bastion.logs.signals.payloads` require (``union select``,
#: ``javascript:``, ``or 1``), never a bare word: slugs (``/blog/how-to-sleep-better``) and searches
#: (``select comfort mattress``) are full of them. Looked for anywhere in the line (cheaper to compile than
#: behind the request's start; a referer holding one is picked too, which only costs a parse).
_PAYLOAD_WORDS = (
    r"(?i:union" + _GAP + r"(?:all|distinct|select|%28)|select[^\x22\n]*from|into" + _GAP + r"(?:out|dump)file|"
    r"(?:order|group)" + _GAP + r"by" + _GAP + r"\d|having" + _GAP + r"\d|case" + _GAP + r"when|waitfor|"
    r"information_schema|sysobjects|syscolumns|sqlite_master|pg_catalog|pg_shadow|mysql\.user|all_tables|user_tables|"
    r"msysobjects|sp_password|utl_|exec(?:ute)?" + _GAP + r"(?:xp|sp)|"
    r"(?:java|vb|live)script" + _GAP + r"(?::|%3a)|document" + _GAP + r"\.|window" + _GAP + r"\.|innerhtml|fromcharcode|"
    r"-moz-binding|srcdoc|(?:file|php|phar|zip|expect|data|glob|jar|netdoc|zlib|gopher|dict|ldaps?|tftp)(?::|%3a)|"
    r"boot\.ini|win\.ini|system\.ini|web\.config|systemroot|windir|"
    r"cmd(?:\.exe|" + _GAP + r"/c)|powershell|(?:\b|%[0-9a-f]{2})(?:nc|ncat|netcat|wget|curl|ping6?|nslookup|dig|host|traceroute|tracert|telnet)"
    r"(?:[\s+]|%20|%09)|"
    r"(?::|%3a)(?://|%2f%2f)(?:[^/?#&\x22]*(?:@|%40))?(?:0|10\.|192\.168\.|172\.|\[|%5b|[^/?#&\x22 ]*\.(?:internal|local))|"
    r"(?:[^a-z0-9_]|%[0-9a-f]{2})(?:or|and|xor)" + _GAP + r"(?:\d|'|%27|\x22|%22|\(|%28|true|false|not|select|exists))")


#: A combined-layout GET or HEAD of a page's own image, style, script or font that failed with a 4xx other than
#: 429, asked with a Referer, its target free of escapes and percent signs: a broken page, which the analyzer's
#: browser allow-list (:meth:`bastion.logs.allow.AllowList.is_broken_page_asset`) never counts. Such a line that
#: nothing else picked is not parsed at all (a shop's log has thousands of missing thumbnails).
_ASSET_MISS = (r'"(?:GET|HEAD) /[^"\s%?\\]*(?i:' + "|".join(re2.escape(s) for s in ASSET_SUFFIXES) + r')(?:\?[^"\s%\\]*)? '
               r'HTTP/[0-9.]+" 4(?:[013-9]\d|2[0-8]) \S+ "(?:[^"\\-]|-[^"])')


def _patterns(status_generic: bool) -> list[str]:
    """The status pattern first (its index is :data:`STATUS`), then, for the combined layout, :data:`_ASSET_MISS`,
    then what the content detectors need."""
    status = [r"(?:^|[\s\"|,:=])[45]\d\d(?:[\t\f\r \"|,][^\n]*)?$"] if status_generic else [r'" [45]\d\d ', _ASSET_MISS]
    files = "|".join(re2.escape(w) for w in scanners.file_words())
    agents = "|".join(re2.escape(w) for w in scanners.agent_words())
    tokens = "|".join(re2.escape(p) for p in leaks.TOKEN_PARAMS)
    return status + [
        _METHOD + r'[^"]*(?:' + _ODD + ")",  # to the request's end: nginx logs raw spaces in a target
        _PAYLOAD_WORDS,
        "(?i:" + agents + ")",
        r'"(?:POST|PUT) [^ "]*(?i:log-?in|sign-?in|sign_in|session|token|auth|password|passwd|reset|wp-login|xmlrpc|otp|2fa|mfa)',
        _METHOD + r'[^ "]*/(?i:' + files + ")",
        r'(?i:[?&;](?:' + tokens + r')=)',
        r"(?i:authorization|cookie|bearer |basic |x-api-key|x-auth-token)",
        r"\d{13}",
        r"\$\{|\(\) ?\{|\{\{|%24%7[bB]|(?i:jndi)",  # lookups, templates and Shellshock arrive in headers too
    ] + _os_file_patterns()


def _os_file_patterns() -> list[str]:
    """The traversal detector's file names by their first folder (``etc/``, ``program files/``): a superset."""
    folders = sorted({name.split("/")[0] for name in payloads.os_files()} - {""})
    return [r"[/=\\:](?i:" + "|".join(re2.escape(f).replace(r"\ ", "(?: |%20|\\+)") for f in folders) + ")(?:/|%2[fF])",
            r"(?i:config(?:uration)?\.php)"]  # the names listed from the root


#: Index of the error-status pattern in :func:`_patterns`, and of the broken-page asset pattern (combined layout).
STATUS, ASSET_MISS = 0, 1
_STATUS_BIT, _ASSET_BIT, _CONTENT_BIT = 1, 2, 4


class LinePicker:
    """Offsets of the lines in a chunk that match any pattern.

    ``skip_asset_misses``: leave out the lines picked only as a page's missing asset (the metrics exporter,
    which counts every 4xx, needs them).
    """

    def __init__(self, status_generic: bool = False, skip_asset_misses: bool = True) -> None:
        self.patterns = _patterns(status_generic)
        self._first_content = STATUS + 1 if status_generic else ASSET_MISS + 1
        self._skip = _STATUS_BIT | _ASSET_BIT if skip_asset_misses and not status_generic else -1
        self._hyperscan = _hyperscan_db(tuple(self.patterns), "logs-prefilter-" + ("generic" if status_generic else "combined"))
        self._scratch = _scratch(self._hyperscan) if self._hyperscan is not None else None
        self._re2 = None if self._hyperscan else re2.compile("(?m)^.*?(?:" + "|".join(f"(?:{p})" for p in self.patterns) + ")")

    def picks(self, chunk: bytes) -> list[tuple[int, bool]]:
        """(start offset, content) of the lines worth parsing, sorted. ``content`` is False for a line picked only
        for its error status: nothing in it is what a payload, leak or scanner detector looks for, so only the
        behaviour detectors (probing, brute force, rate limits) need it (with RE2 every pick is content)."""
        if self._hyperscan is None:
            return [(m.start(), True) for m in self._re2.finditer(chunk)]
        found: dict[int, int] = {}  # line end -> the kinds of pattern found in the line
        first_content = self._first_content

        def on_match(pattern: int, _start: int, end: int, _flags: int, _context: object) -> None:
            found[end] = found.get(end, 0) | (_CONTENT_BIT if pattern >= first_content else 1 << pattern)

        self._hyperscan.scan(chunk, match_event_handler=on_match, scratch=self._scratch)
        skip = self._skip
        return [(chunk.rfind(b"\n", 0, end) + 1, mask >= _CONTENT_BIT) for end, mask in sorted(found.items()) if mask != skip]


def _scratch(database):
    """Scan space for a database (one loaded from the disk cache comes without any)."""
    import hyperscan

    return hyperscan.Scratch(database)


@lru_cache(maxsize=4)
def _hyperscan_db(patterns: tuple[str, ...], name: str):
    try:
        import hyperscan
    except ImportError:  # no wheel for this platform: RE2 does the same job, slower
        return None
    from bastion.secrets.hyperscan_db import cached_compile, translate

    # each pattern runs on to its line's end: one match per line and pattern (not one per odd character), its
    # end offset naming the line
    expressions = [b"(?:" + translate(p.encode()) + b")" + (b"" if p.endswith("$") else b".*$") for p in patterns]
    # kept on disk like the secret scanner's database: compiling takes a third of a second, loading a millisecond
    return cached_compile(name, expressions, [hyperscan.HS_FLAG_MULTILINE] * len(expressions))
