"""Turn judged candidates into redacted findings: location, snippet, message, fingerprint key."""

from __future__ import annotations

import bisect

from bastion.core.model import Confidence, Finding, Location
from bastion.secrets import judge
from bastion.secrets.options import SecretsOptions
from bastion.core.redaction import secret_fingerprint
from bastion.secrets.redaction import redact, snippet
from bastion.secrets.rules import RULES
from bastion.secrets.scanner import Candidate

_WINDOW = 120


class _Lines:
    """Line number and bounds of offsets asked in (mostly) increasing order.

    A cursor moves from offset to offset counting the newlines between, and the
    current line's end is found once; columns advance the same way. Every byte is
    read about once however many secrets the file holds, even on one long line.
    """

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos, self.line, self.start = 0, 1, 0
        self.end: int | None = None
        self.col_line, self.col_pos, self.col = -1, 0, 1

    def bounds(self, offset: int) -> tuple[int, int, int]:
        """(1-based line number, start offset of that line, end offset before its newline)."""
        data = self.data
        if offset >= self.pos:
            crossed = data.count(b"\n", self.pos, offset)
            if crossed:
                self.line += crossed
                self.start = data.rfind(b"\n", self.pos, offset) + 1
        else:
            crossed = data.count(b"\n", offset, self.pos)
            if crossed:
                self.line -= crossed
                self.start = data.rfind(b"\n", 0, offset) + 1
        self.pos = offset
        if crossed or self.end is None:
            found = data.find(b"\n", offset)
            self.end = len(data) if found < 0 else found
        end = self.end
        if end > self.start and data[end - 1 : end] == b"\r":
            end -= 1
        return self.line, self.start, end

    def column(self, line_start: int, offset: int) -> int:
        """1-based character column of ``offset`` on the line that starts at ``line_start``."""
        if self.col_line != line_start or offset < self.col_pos:
            self.col_line, self.col_pos, self.col = line_start, line_start, 1
        self.col += len(self.data[self.col_pos : offset].decode("utf-8", "replace"))
        self.col_pos = offset
        return self.col


def _window(data: bytes, line_start: int, line_end: int, first: int) -> tuple[int, int]:
    """The bytes of a line a snippet shows: up to ``_WINDOW`` each side of ``first``, on character boundaries."""
    lo, hi = max(line_start, first - _WINDOW), min(line_end, first + 2 * _WINDOW)
    while lo > line_start and data[lo] & 0xC0 == 0x80:  # not inside a UTF-8 sequence
        lo -= 1
    while hi < line_end and data[hi] & 0xC0 == 0x80:
        hi += 1
    return lo, hi


def _chars(data: bytes, start: int, end: int) -> int:
    return len(data[start:end].decode("utf-8", "replace"))


def build(data: bytes, path: str, cands: list[Candidate], opts: SecretsOptions, language: str | None = None) -> list[Finding]:
    """One finding per candidate; every secret in a snippet is redacted unless show_secrets.

    Work per finding is bounded (a snippet is a window of its line), so a minified
    line holding thousands of secrets costs no more than thousands of short lines.
    """
    findings = []
    lines = _Lines(data)
    starts = [c.start for c in cands]  # candidates are disjoint and sorted: those in a window are a run
    for cand in cands:
        det = cand.detector
        first = cand.reported_at  # a private key is reported at its header line
        line, line_start, line_end = lines.bounds(first)
        column = lines.column(line_start, first)
        end_line, end_start, _ = lines.bounds(max(cand.end - 1, cand.start))
        end_column = lines.column(end_start, cand.end)
        shown = cand.secret if opts.show_secrets else redact(cand.secret, det.public_format)
        lo, hi = _window(data, line_start, line_end, first)
        spans = []
        for other in cands[max(0, bisect.bisect_right(starts, lo) - 1) : bisect.bisect_left(starts, hi)]:
            if other.start < hi and other.end > lo:
                s, e = max(other.start, lo), min(other.end, hi)
                text = other.secret if opts.show_secrets else redact(other.secret, other.detector.public_format)
                spans.append((_chars(data, lo, s), _chars(data, lo, e), text))
        shown_line = ("…" if lo > line_start else "") + snippet(data[lo:hi].decode("utf-8", "replace"), spans)
        properties = {"detector": det.id, "provider": det.provider, "revoke": det.revoke, "secret": shown}
        if det.public_format or opts.show_secrets:  # the length and spread of a password narrow a guess
            properties.update(secret_length=len(cand.secret), entropy=round(judge.entropy(cand.secret), 2))
        properties.update(cand.extra)
        rule = RULES[det.rule]
        findings.append(
            rule.finding(
                f"{det.name} ({det.provider}) {shown} is written into the file. Revoke it at {det.revoke} and load it at run time.",
                Location(path, line, column, end_line, end_column),
                severity=det.severity,
                confidence=Confidence(cand.confidence),
                language=language,
                snippet=shown_line,
                properties=properties,
                fingerprint_key=secret_fingerprint(cand.secret),
            )
        )
    return findings
