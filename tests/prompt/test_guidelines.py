"""Team guidelines: passages ranked with BM25, quoted with their source, the index cached by content."""

from __future__ import annotations

import os

from hypothesis import given, settings
from hypothesis import strategies as st

from bastion.prompt import harden_prompt
from bastion.prompt.guidelines import GuidelineIndex, split_passages, terms


def _guidelines(folder):
    folder.mkdir()
    (folder / "security.md").write_text(
        "# Security guidelines\n\n## Uploads\n\nUploaded files go to the private S3 bucket `acme-uploads`, "
        "never to local disk. Scan every upload with the antivirus service.\n\n"
        "## Passwords\n\nPasswords are hashed with argon2id through our `acme-auth` library.\n", "utf-8")
    (folder / "sql.txt").write_text("All SQL goes through the data access layer with bound parameters.\n", "utf-8")
    (folder / "image.png").write_bytes(b"\x89PNG not a guideline")
    return folder


def test_relevant_passage_comes_first_with_its_source(tmp_path):
    folder = _guidelines(tmp_path / "g")
    index = GuidelineIndex([folder], cache_dir=tmp_path / "cache")
    [top, *_] = index.search("store the user's uploaded avatar")
    assert top.source == "security.md" and top.heading == "Uploads" and "acme-uploads" in top.text
    assert index.search("quantum chromodynamics") == []


def test_index_is_cached_and_rebuilt_when_content_changes(tmp_path):
    folder = _guidelines(tmp_path / "g")
    first = GuidelineIndex([folder], cache_dir=tmp_path / "cache")
    again = GuidelineIndex([folder], cache_dir=tmp_path / "cache")
    assert not first.from_cache and again.from_cache and again.cache_path == first.cache_path
    assert again.search("password hashing")[0].heading == "Passwords"
    (folder / "sql.txt").write_text("Queries use the ORM only.\n", "utf-8")
    changed = GuidelineIndex([folder], cache_dir=tmp_path / "cache")
    assert changed.cache_path != first.cache_path and not changed.from_cache


def test_symlinks_are_not_followed(tmp_path):
    folder = _guidelines(tmp_path / "g")
    secret = tmp_path / "outside.md"
    secret.write_text("# Outside\n\nupload secrets live here\n", "utf-8")
    os.symlink(secret, folder / "link.md")
    index = GuidelineIndex([folder], cache_dir=tmp_path / "cache")
    assert all(p.source != "link.md" for p in index.passages)


def test_harden_prompt_quotes_guidelines(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    folder = _guidelines(tmp_path / "g")
    hardened = harden_prompt("Let users upload a profile picture", guidelines=folder, top_k=1)
    assert len(hardened.guidelines) == 1
    text = hardened.render("markdown")
    assert "acme-uploads" in text and "Source: security.md > Uploads" in text


def test_terms_are_stemmed():
    assert terms("Passwords are hashed") == ["password", "hash"]


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=2000))
def test_splitting_never_crashes(text):
    for passage in split_passages("doc.md", text):
        assert passage.text and passage.line >= 1
