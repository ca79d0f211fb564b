"""Secret values never reach a finding in full unless show_secrets; fingerprints reveal nothing."""

from __future__ import annotations

import json

from bastion.secrets import samples, scan_text
from bastion.core.redaction import secret_fingerprint
from bastion.secrets.redaction import redact
from tests.secrets.conftest import sample_of


def test_redact_keeps_little() -> None:
    assert redact("ghp_abcdefghijklmnopqrstuvwxyz0123456789", public_format=True) == "ghp_…(40 chars)"
    assert redact("hunter22", public_format=False) == "[redacted]"


def _all_text(finding) -> str:
    data = finding.to_dict()
    return json.dumps(data) + finding.snippet + finding.message + (finding.fingerprint_key or "")


def test_no_output_field_holds_the_secret(rng) -> None:
    secrets = [sample_of(d, rng) for d in ("aws-secret-access-key", "stripe-secret-key", "postgres-url-password", "rsa-private-key")]
    password = "Qz7-" + samples.render("{A:12}", rng)
    text = "\n".join(secrets) + f'\nsmtp_password = "{password}"\n'
    findings = scan_text(text, "conf.env")
    assert len(findings) == 5
    for finding in findings:
        blob = _all_text(finding)
        for s in secrets + [password]:
            core = s.split("=", 1)[-1].strip('"')[8:40] if "=" in s[:30] else s[8:40]
            assert core not in blob, finding.rule_id


def test_two_secrets_on_one_line_are_both_redacted(rng) -> None:
    a, b = sample_of("aws-access-key-id", rng), sample_of("github-pat", rng)
    findings = scan_text(f'creds = ["{a}", "{b}"]\n', "a.py")
    assert len(findings) == 2
    for f in findings:
        assert a not in f.snippet and b not in f.snippet


def test_show_secrets_opts_out(rng) -> None:
    token = sample_of("github-pat", rng)
    [finding] = scan_text(f'T = "{token}"\n', "a.py", {"show_secrets": True})
    assert token in finding.snippet and finding.properties["secret"] == token


def test_fingerprint_key_is_a_salted_digest(rng) -> None:
    token = sample_of("github-pat", rng)
    [f1] = scan_text(f'T = "{token}"\n', "a.py")
    [f2] = scan_text(f'\n\nOTHER = "{token}"\n', "a.py")
    assert f1.fingerprint_key == f2.fingerprint_key == secret_fingerprint(token)
    assert token not in f1.fingerprint_key and token[4:12] not in f1.fingerprint_key
    assert f1.with_fingerprint(0).fingerprint == f2.with_fingerprint(0).fingerprint


def test_many_secrets_on_one_long_line(rng) -> None:
    """A minified line: exact columns, a snippet windowed around each secret, every secret in it redacted."""
    values = [samples.render("Zq8-{A:17}", rng) for _ in range(300)]
    text = "é;" + " ".join(f'password_{i} = "{v}";' for i, v in enumerate(values))
    findings = scan_text(text, "bundle.cfg")
    assert len(findings) == len(values)
    for finding, value in zip(findings, values):
        assert finding.location.column == text.index(value) + 1
        assert not any(v[4:] in finding.snippet for v in values) and len(finding.snippet) <= 161
    assert findings[-1].snippet.startswith("…")
