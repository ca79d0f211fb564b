"""Discovery: what is scanned, what is skipped and why."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from bastion.core.engine_api import decode_bytes
from bastion.pipeline.workspace import classify_content, detect_language, discover
from bastion.host.files import read_confined, read_regular_file


def write(root: Path, name: str, content: bytes | str = "x = 1\n") -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def test_gitignore_nested_and_excludes(tmp_path):
    write(tmp_path, ".gitignore", "build/\n*.log\n")
    write(tmp_path, "app.py")
    write(tmp_path, "build/out.py")
    write(tmp_path, "debug.log")
    write(tmp_path, "pkg/.gitignore", "secret_*.py\n")
    write(tmp_path, "pkg/secret_local.py")
    write(tmp_path, "pkg/mod.py")
    write(tmp_path, "docs/gen/x.py")
    write(tmp_path, "node_modules/lib/index.js")
    found = discover(tmp_path, excludes=["docs/gen/"])
    assert sorted(found.files) == [".gitignore", "app.py", "pkg/.gitignore", "pkg/mod.py"]
    assert found.skipped["ignored"] == 4  # build/, debug.log, secret_local.py, docs/gen/
    assert found.skipped["vendored"] == 1


def test_symlinks_out_of_root_and_cycles(tmp_path):
    outside = tmp_path / "outside"
    write(outside, "leak.py", "outside")
    root = tmp_path / "root"
    write(root, "a.py")
    os.symlink(outside / "leak.py", root / "link.py")
    os.symlink(outside, root / "linkdir")
    os.symlink(root, root / "loop")
    os.symlink(root / "a.py", root / "alias.py")
    found = discover(root)
    assert sorted(found.files) == ["a.py", "alias.py"]
    assert found.skipped["symlink-outside-root"] == 2
    assert found.skipped["symlink-cycle"] == 1
    with pytest.raises(PermissionError):
        read_confined(root, "link.py", 1000)
    with pytest.raises(PermissionError):
        read_confined(root, "../outside/leak.py", 1000)


def test_special_files_and_size_cap(tmp_path):
    write(tmp_path, "big.py", "x" * 5000)
    write(tmp_path, "small.py")
    os.mkfifo(tmp_path / "fifo.py")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(tmp_path / "sock.py"))
    try:
        found = discover(tmp_path)
        capped = discover(tmp_path, max_file_size=1000)
    finally:
        sock.close()
    assert found.files == ["big.py", "small.py"]
    assert "too-large" not in found.skipped
    assert capped.files == ["small.py"] and capped.skipped["too-large"] == 1
    assert found.skipped["not-a-regular-file"] == 2


@pytest.mark.parametrize("name, head, language", [
    ("a.py", b"", "python"), ("a.tsx", b"", "tsx"), ("a.mjs", b"", "javascript"), ("a.cts", b"", "typescript"),
    ("tool", b"#!/usr/bin/env python3\n", "python"), ("tool", b"#!/usr/bin/python3.12 -u\n", "python"),
    ("cli", b"#!/usr/bin/env -S node --no-warnings\n", "javascript"), ("script", b"#!/bin/sh\n", None),
    ("README.md", b"", None),
])
def test_language_detection(name, head, language):
    assert detect_language(name, head) == language



# A bundler's chunk (Vite, esbuild, Angular): one short import line, then the whole module on one line that the
# sniffed block cuts; a project's own file with short lines and one long data line near the top is still scanned.
@pytest.mark.parametrize(("head", "reason"), [
    (b'import{a as E}from"./chunk-D39XL.js";\n' + b"function T(e){return typeof e==`function`}" * 400, "minified"),
    (b"const x = 1;\n" * 50 + b"var a=1;" * 1200, "minified"),
    (b"const TABLE = '" + b"a" * 2500 + b"';\n" + b"function f(x) {\n  return x;\n}\n", None),
])
def test_bundle_chunks_are_recognised_by_a_cut_long_line(head, reason):
    assert classify_content("public/chunk-D96TCRAL.js", head[:8192]) == reason

@given(st.binary(max_size=2000))
@settings(max_examples=200, deadline=None)
def test_decoding_never_fails(data):
    text, encoding = decode_bytes(data)
    assert isinstance(text, str) and encoding


@pytest.mark.parametrize("size", [0, 1, 4095, 4096, 4097, 100_000])
def test_regular_file_read_whole_within_the_limit(tmp_path, size):
    path = tmp_path / "f.bin"
    path.write_bytes(bytes(range(256)) * (size // 256) + bytes(size % 256))
    assert read_regular_file(str(path), size) == path.read_bytes()
    if size:
        with pytest.raises(ValueError):
            read_regular_file(path, size - 1)


def test_file_whose_size_is_not_known_ahead_is_read_whole():
    """Files in /proc report size 0 and still have content: reading goes on past fstat's size."""
    data = read_regular_file("/proc/self/status", 1 << 20)
    assert b"Name:" in data and data.endswith(b"\n")
