"""A folder of hostile inputs, scanned by every real engine, finishes with notes and no engine failure."""

from __future__ import annotations

import os

import bastion
from bastion.core.config import Config

YAML_BOMB = "a: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},"
    f"*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n" for i in range(8))


def test_hostile_folder(tmp_path):
    files = {
        "huge.py": b"x = 1\n" * (5 * 1024 * 1024),  # 30 MB
        "tool.bin": os.urandom(4096),
        "deep.py": b"x = " + b"(" * 5000 + b"1" + b")" * 5000 + b"\n",
        "deep.js": b"const x = " + b"[" * 5000 + b"]" * 5000 + b";\n",
        "deep.json": b"[" * 5000 + b"]" * 5000,
        "app.bundle.js": b"var a=function(){return 1};" * 20000,
        "inline.js": b"var a=1;" * 40000,
        "package-lock.json": b'{"lockfileVersion": 3, "packages": {"": {"dependencies": ',
        "yarn.lock": b"\x00\xff garbage",
        "requirements.txt": b"-r requirements.txt\nflask==\n===\n" + b"\xff" * 100,
        "pnpm-lock.yaml": YAML_BOMB.encode(),
        "docker-compose.yml": YAML_BOMB.encode(),
        "k8s/deploy.yaml": b"apiVersion: v1\nkind: Pod\n" + YAML_BOMB.encode(),
        ".github/workflows/ci.yml": b"on: [push\njobs: {",
        "nginx.conf": b"server { location / { " * 2000,
        "Dockerfile": b"FROM \\\n" * 5000,
        "latin1.py": "nom = 'caf\xe9'\n".encode("latin-1"),
        "utf16.py": "x = 'hi'\n".encode("utf-16"),
    }
    for name, data in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    os.mkfifo(tmp_path / "fifo.py")
    report = bastion.scan(tmp_path, config=Config(file_timeout=30, fail_on=None), use_cache=False, jobs=2)
    crashes = [n.message for n in report.notes if n.kind == "failure"]
    assert not crashes, crashes
    assert report.stats.skipped["too-large"] == 1
    assert report.stats.skipped["not-a-regular-file"] == 1
    assert report.stats.skipped["binary"] >= 1
    assert report.stats.skipped["minified"] >= 1
