"""Rough edges a new user meets: --fix (one convention, whole fixes, conflicts named, patches git accepts), -q with -o, rules in a pipe."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from bastion.interfaces.cli import main


def _git(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-c", "core.hooksPath=/dev/null", *args], cwd=root, capture_output=True, text=True)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _git(tmp_path, "init", "-q")
    return tmp_path


@pytest.mark.parametrize("text", [
    "x = 1\nDANGER = 2",  # no newline at the end of the file
    "x = 1\nDANGER = 2\n",
    "x = 1\r\nDANGER = 2\r\ny = 3",  # CRLF, no final newline
    "page = 1\x0c\nDANGER = 2\ncaf\u2028e = 3\nDANGER = 4\n",  # separators str.splitlines would split at
])
def test_the_printed_patch_applies_with_git(repo, probe_engines, capsys, text):
    (repo / "app.py").write_bytes(text.encode())
    assert main(["scan", ".", "--no-cache", "--fix", "--dry-run"]) == 0
    patch = capsys.readouterr().out
    assert patch.startswith("--- a/app.py\n+++ b/app.py\n")
    (repo / "fix.patch").write_text(patch)
    assert (repo / "app.py").read_bytes() == text.encode()  # a dry run changes nothing
    check = _git(repo, "apply", "--check", "fix.patch")
    assert check.returncode == 0, check.stderr
    assert _git(repo, "apply", "fix.patch").returncode == 0
    patched = (repo / "app.py").read_bytes()
    (repo / "app.py").write_bytes(text.encode())
    assert main(["scan", ".", "--no-cache", "--fix", "-q"]) == 1  # written; the findings stay in the report
    assert (repo / "app.py").read_bytes() == patched == text.replace("DANGER", "SAFE").encode()


def test_a_real_engine_fix_applies_with_git(repo, capsys):
    text = "import hashlib\nimport requests\n\ndef get(url):\n    return requests.get(url)"
    (repo / "client.py").write_text(text)
    main(["scan", ".", "--no-cache", "--engine", "python", "--fix", "--dry-run"])
    patch = capsys.readouterr().out
    assert "+    return requests.get(url, timeout=10)" in patch
    assert patch.endswith("\\ No newline at end of file\n")
    (repo / "fix.patch").write_text(patch)
    assert _git(repo, "apply", "fix.patch").returncode == 0
    assert (repo / "client.py").read_text() == text.replace("get(url)\n", "get(url)\n").replace(
        "requests.get(url)", "requests.get(url, timeout=10)")


def test_conflicting_fixes_are_named_and_exit_2(repo, probe_engines, capsys):
    (repo / "app.py").write_text("DANGER = 1  # CLASH\nDANGER = 2\n")
    assert main(["scan", ".", "--no-cache", "--fix"]) == 2
    err = capsys.readouterr().err
    assert "1 fix(es) not applied" in err
    assert "app.py:1:1: marker: replace the line with pass" in err
    # the fixes that do not clash are applied, each whole
    assert (repo / "app.py").read_text() == "SAFE = 1  # CLASH\nSAFE = 2\n"


def test_conflicts_in_a_dry_run_exit_2_too(repo, probe_engines, capsys):
    (repo / "app.py").write_text("DANGER = 1  # CLASH\n")
    assert main(["scan", ".", "--no-cache", "--fix", "--dry-run"]) == 2
    captured = capsys.readouterr()
    assert "+SAFE = 1  # CLASH" in captured.out and "app.py:1:1: marker" in captured.err
    assert (repo / "app.py").read_text() == "DANGER = 1  # CLASH\n"


def test_quiet_still_writes_the_report_files(repo, probe_engines, capsys):
    (repo / "app.py").write_text("DANGER = 1\n")
    assert main(["scan", ".", "--no-cache", "-q", "-o", "out.sarif", "-o", "out.json"]) == 1
    assert capsys.readouterr() == ("", "")
    assert '"ruleId": "marker"' in (repo / "out.sarif").read_text()
    assert '"rule_id": "marker"' in (repo / "out.json").read_text()


def test_rules_in_a_pipe_prints_whole_ids(capsys):
    """Piped into `cut -f1`, every id comes out whole, one a line (no terminal-width table)."""
    from bastion.core.rules import all_variants

    assert main(["rules"]) == 0
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert all(len(row) == 6 for row in rows)
    assert {row[0] for row in rows} == {rule.id for rule in all_variants()}
    assert any(len(row[0]) > 20 for row in rows)  # the long ids a table cut short


def test_a_file_cut_off_by_a_budget_is_named_and_strict_exits_2(repo, probe_engines, capsys):
    (repo / "bastion.toml").write_text("file-timeout = 1\n")
    (repo / "slow.py").write_text("HANG_FOREVER\n")
    (repo / "ok.py").write_text("x = 1\n")
    assert main(["scan", ".", "--no-cache"]) == 0
    out = capsys.readouterr().out
    assert "Incomplete analysis (--strict makes this exit 2): slow.py" in out
    assert main(["scan", ".", "--no-cache", "--strict", "-f", "json"]) == 2
    summary = json.loads(capsys.readouterr().out)["summary"]
    assert summary["incomplete"] == ["slow.py"] and summary["exit_code"] == 2
    (repo / "bastion.toml").write_text("file-timeout = 1\nstrict = true\n")
    assert main(["scan", ".", "--no-cache", "-q"]) == 2
    (repo / "slow.py").unlink()
    assert main(["scan", ".", "--no-cache", "-q"]) == 0
