"""The bundled example app: written as an AI assistant writes it, every engine finds its flaws; the fixed twin is clean.

The advisory database comes from the environment (``make test`` builds it from the shared OSV
snapshot in the default location); without one the dependency findings are skipped, not faked. The
snapshot is older than the audit's default limit, so these scans accept its age (the refusal itself is
tests/deps/test_fail_closed.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import bastion
from bastion.core.config import Config

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
EXPECTED = {
    ("python", "unsafe-deserialization", "api/app.py"),
    ("python", "weak-password-hash", "api/app.py"),
    ("python", "command-injection", "api/app.py"),
    ("python", "sql-injection", "api/app.py"),
    ("python", "debug-mode-enabled", "api/settings.py"),
    ("secrets", "hardcoded-secret", "api/settings.py"),
    ("javascript", "path-traversal", "web/server.js"),
    ("javascript", "redos", "web/server.js"),
    ("javascript", "error-details-exposed", "web/server.js"),
    ("javascript", "unrestricted-upload", "web/server.js"),
    ("config_audit", "container-runs-as-root", "Dockerfile"),
    ("config_audit", "weak-tls-protocol", "nginx.conf"),
}


def scan(folder: str):
    return bastion.scan(EXAMPLES / folder, config=Config(), use_cache=False,
                        engine_options={"deps": {"allow_stale_db": True}})


def test_vulnerable_app_is_caught_by_every_engine():
    report = scan("vulnerable-app")
    found = {(f.engine, f.rule_id, f.location.path) for f in report.findings}
    assert EXPECTED <= found, sorted(EXPECTED - found)
    if any("no advisory database" in n.message for n in report.notes):
        pytest.skip("no advisory database in this environment")
    vulnerable = {f.properties.get("package") for f in report.findings if f.rule_id == "vulnerable-dependency"}
    assert {"urllib3", "requests", "lodash"} <= vulnerable
    assert report.exit_code == 1


def test_fixed_app_is_clean():
    report = scan("fixed-app")
    assert [f"{f.rule_id} {f.location.path}:{f.location.line}" for f in report.findings] == []
    assert report.exit_code == 0


@pytest.mark.slow
def test_make_demo_expects_the_findings_exit_code_without_an_ignored_error(tmp_path):
    """`make demo` treats exit 1 of the vulnerable app as expected (no `Error 1 (ignored)` line), and would
    fail on exit 2. Run against this checkout's .venv, with the advisory database in a temp folder."""
    import shutil
    import subprocess
    import sys

    root = EXAMPLES.parent
    venv = Path(sys.executable).parent.parent
    if not (venv / ".installed").exists() or shutil.which("make") is None:
        pytest.skip("needs the checkout's .venv made by `make install`")
    run = subprocess.run(["make", "-C", str(root), "demo", f"VENV={venv}", f"BASTION_DB_DIR={tmp_path / 'db'}"],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "ignored" not in run.stdout + run.stderr
    assert "Error" not in run.stderr
    assert "command-injection" in run.stdout and "Bastion: no findings" in run.stdout
