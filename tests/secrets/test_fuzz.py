"""Never crash, never hang: arbitrary bytes and adversarial near-matches through the whole pipeline."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bastion.secrets import scan_text
from bastion.secrets.engine import SecretsEngine
from bastion.core.engine_api import FileContext, SourceFile

FRAGMENTS = st.sampled_from([
    "password", "=", ":", '"', "'", "ghp_", "AKIA", "-----BEGIN RSA PRIVATE KEY-----", "-----END RSA PRIVATE KEY-----",
    "postgres://", "@", "\\n", "\n", "eyJ", ".", "sk-proj-", "T3BlbkFJ", "xoxb-", "_authToken=", "\\\"", "{ctx:", "aaaa",
    "Zq8kP2vmW4xL", "${", "0123", "PuTTY-User-Key-File-2: ", "Private-Lines: 3\n", "Private-MAC",
])


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=4096), st.sampled_from(["a.py", "x.json", "n.ipynb", ".env", "package-lock.json", "t/test_a.py"]))
def test_arbitrary_bytes(data: bytes, path: str) -> None:
    for finding in scan_text(data, path):
        assert finding.location.line >= 1


@settings(max_examples=150, deadline=None)
@given(st.lists(FRAGMENTS | st.text(max_size=20), max_size=60))
def test_adversarial_fragments(parts: list[str]) -> None:
    text = "".join(parts)
    for finding in scan_text(text, "conf.py"):
        assert finding.location.line <= text.count("\n") + 1


def test_engine_claims_text_and_declines_binary() -> None:
    engine = SecretsEngine()
    assert engine.wants(SourceFile("notes", "/x/notes", None, b"plain text"))
    assert engine.wants(SourceFile("w.ini", "/x/w.ini", None, "a=1".encode("utf-16")))
    assert not engine.wants(SourceFile("img.png", "/x/img.png", None, b"\x89PNG\x00\x00"))
    ctx = FileContext(SourceFile("a.env", "/x/a.env", None, b"A=1\n"), {})
    assert list(engine.check_file(ctx)) == []
