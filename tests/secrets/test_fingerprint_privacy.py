"""Fingerprints that reveal nothing, and passwords shown without a prefix or a length in any output.

The fingerprint key is secret: random per installation (kept in the user's state folder), or shared by a
team through ``BASTION_FINGERPRINT_KEY``. Each installation is a real ``bastion`` process with its own
state folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

import bastion
from bastion.interfaces.mcp_server import report_to_answer
from bastion.report import available_formats, render
from bastion.secrets import samples

SHARED_KEY = "4f1c0e9a7b2d4c6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c"


def _installation_scan(project: Path, state: Path, env: dict[str, str] | None = None) -> tuple[int, dict]:
    """``bastion scan -f json`` as a separate installation whose state lives in ``state``."""
    full = {k: v for k, v in os.environ.items() if k != "BASTION_FINGERPRINT_KEY"}
    full.update(BASTION_STATE_DIR=str(state / "state"), BASTION_CACHE_DIR=str(state / "cache"))
    full.update(env or {})
    proc = subprocess.run([sys.executable, "-m", "bastion", "scan", str(project), "--engine", "secrets", "-f", "json",
                           "--no-progress", "--fail-on", "never"], capture_output=True, text=True, env=full, timeout=120)
    return proc.returncode, (json.loads(proc.stdout) if proc.returncode == 0 else {"stderr": proc.stderr})


@pytest.fixture
def project(tmp_path: Path, rng) -> tuple[Path, str]:
    root = tmp_path / "project"
    root.mkdir()
    token = samples.render("ghp_{A:36}", rng)
    (root / "app.py").write_text(f'GITHUB_TOKEN = "{token}"\n')
    return root, token


def _fingerprints(report: dict) -> list[tuple[str, str]]:
    return [(f["rule_id"], f["fingerprint"]) for f in report["findings"]]


def test_each_installation_has_its_own_random_key(project, tmp_path: Path) -> None:
    root, token = project
    code_a, first = _installation_scan(root, tmp_path / "a")
    code_b, second = _installation_scan(root, tmp_path / "b")
    assert code_a == code_b == 0 and first["findings"] and second["findings"]
    assert _fingerprints(first) != _fingerprints(second), "two installations must not share a fingerprint key"
    assert _fingerprints(_installation_scan(root, tmp_path / "a")[1]) == _fingerprints(first), "stable per installation"
    key = tmp_path / "a" / "state" / "fingerprint.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and key.stat().st_size == 32
    public = hashlib.blake2b(token.encode(), key=b"bastion-secrets-v1", digest_size=16).hexdigest()
    assert public not in json.dumps(first), "the old public-salt digest must not appear"


def test_a_team_key_makes_baselines_portable(project, tmp_path: Path) -> None:
    root, _ = project
    team = {"BASTION_FINGERPRINT_KEY": SHARED_KEY}
    _, first = _installation_scan(root, tmp_path / "a", team)
    _, second = _installation_scan(root, tmp_path / "b", team)
    assert _fingerprints(first) == _fingerprints(second)
    assert not (tmp_path / "a" / "state" / "fingerprint.key").exists(), "a shared key needs no key file"
    assert _fingerprints(first) != _fingerprints(_installation_scan(root, tmp_path / "a")[1])


def test_a_weak_team_key_is_refused(project, tmp_path: Path) -> None:
    root, _ = project
    code, answer = _installation_scan(root, tmp_path / "a", {"BASTION_FINGERPRINT_KEY": "hunter2"})
    assert code == 2 and "at least 32 characters" in answer["stderr"] and "Traceback" not in answer["stderr"]


@pytest.fixture
def passwords(tmp_path: Path, rng) -> tuple[Path, list[str]]:
    """A project holding passwords of four kinds: assignments, a URL, a Dockerfile ENV, a compose file."""
    root = tmp_path / "project"
    root.mkdir()
    values = [samples.render(prefix + "{A:18}", rng) for prefix in ("Qv9x", "Wm3k", "Zp5r", "Jt8n")]
    (root / "settings.py").write_text(f'DB_PASSWORD = "{values[0]}"\n'
                                      f'DATABASE_URL = "postgresql://app:{values[1]}@db.internal:5432/app"\n')
    (root / "Dockerfile").write_text(f"FROM python:3.12-slim\nENV DB_PASSWORD={values[2]}\nUSER app\n")
    (root / "docker-compose.yml").write_text(
        f"services:\n  web:\n    image: nginx:1.27\n    environment:\n      API_SECRET: {values[3]}\n")
    return root, values


def _cache_text(cache_home: Path) -> str:
    out = []
    for database in cache_home.glob("results/*/results.sqlite"):
        with sqlite3.connect(database) as db:
            out += [zlib.decompress(p).decode() for (p,) in db.execute("SELECT payload FROM results_v3")]
    return "\n".join(out)


def test_passwords_show_neither_prefix_nor_length_in_any_output(passwords, tmp_path: Path, monkeypatch) -> None:
    root, values = passwords
    cache_home = tmp_path / "user-cache"
    monkeypatch.setenv("BASTION_CACHE_DIR", str(cache_home))
    report = bastion.scan(root, engines=["secrets", "config_audit"], jobs=1, fail_on=None)
    about = {f.rule_id for f in report.findings}
    assert {"hardcoded-password", "credentials-in-url", "secret-in-environment"} <= about
    outputs = {fmt: render(report, fmt) for fmt in available_formats()}
    outputs["mcp"] = json.dumps(report_to_answer(report))
    outputs["cache"] = _cache_text(cache_home)
    assert outputs["cache"], "the cache was written"
    for name, text in outputs.items():
        for value in values:
            assert value[:4] not in text, f"{name} shows a prefix of a password"
            assert f"({len(value)} chars)" not in text and f'"secret_length": {len(value)}' not in text, \
                f"{name} shows a password's length"
    assert "[redacted]" in outputs["text"] or "[redacted]" in outputs["json"]


def test_an_unusable_state_folder_falls_back_to_a_key_for_this_run(project, tmp_path: Path) -> None:
    root, _ = project
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the state folder should be\n")
    code, report = _installation_scan(root, tmp_path / "a", {"BASTION_STATE_DIR": str(blocker / "state")})
    assert code == 0 and report["findings"]
    assert any("hold for this run only" in n["message"] for n in report["notes"])
