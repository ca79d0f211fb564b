"""Turn judged candidates into redacted findings: location, snippet, message, fingerprint key."""

from __future__ import annotations

from bastion.model import Confidence, Finding, Location
from bastion.secrets import judge
from bastion.secrets.options import SecretsOptions
from bastion.secrets.redaction import redact, secret_digest, snippet
from bastion.secrets.rules import RULES
from bastion.secrets.scanner import Candidate


def _line_bounds(data: bytes, offset: int) -> tuple[int, int, int]:
    """(1-based line number, start offset of that line, end offset before its newline)."""
    start = data.rfind(b"\n", 0, offset) + 1
    end = data.find(b"\n", offset)
    end = len(data) if end < 0 else end
    if end > start and data[end - 1 : end] == b"\r":
        end -= 1
    return data.count(b"\n", 0, start) + 1, start, end


def _col(data: bytes, line_start: int, offset: int) -> int:
    return len(data[line_start:offset].decode("utf-8", "replace")) + 1


def build(data: bytes, path: str, cands: list[Candidate], opts: SecretsOptions, language: str | None = None) -> list[Finding]:
    """One finding per candidate; every secret on a snippet's line is redacted unless show_secrets."""
    findings = []
    for cand in cands:
        det = cand.detector
        first = cand.reported_at  # a private key is reported at its header line
        line, line_start, line_end = _line_bounds(data, first)
        end_line, end_start, _ = _line_bounds(data, max(cand.end - 1, cand.start))
        shown = cand.secret if opts.show_secrets else redact(cand.secret)
        spans = []
        for other in cands:
            if other.start < line_end and other.end > line_start:
                s, e = max(other.start, line_start), min(other.end, line_end)
                text = other.secret if opts.show_secrets else redact(other.secret)
                spans.append((_col(data, line_start, s) - 1, _col(data, line_start, e) - 1, text))
        line_text = data[line_start:line_end].decode("utf-8", "replace")
        properties = {
            "detector": det.id,
            "provider": det.provider,
            "revoke": det.revoke,
            "secret": shown,
            "secret_length": len(cand.secret),
            "entropy": round(judge.entropy(cand.secret), 2),
        }
        properties.update(cand.extra)
        rule = RULES[det.rule]
        findings.append(
            rule.finding(
                f"{det.name} ({det.provider}) {shown} is written into the file. Revoke it at {det.revoke} and load it at run time.",
                Location(path, line, _col(data, line_start, first), end_line, _col(data, end_start, cand.end)),
                severity=det.severity,
                confidence=Confidence(cand.confidence),
                language=language,
                snippet=snippet(line_text, spans),
                properties=properties,
                fingerprint_key=secret_digest(cand.secret, opts.fingerprint_salt),
            )
        )
    return findings
