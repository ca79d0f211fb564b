"""`scan --diff` says what went wrong: no repository, an unknown ref, an option given as a ref."""

from __future__ import annotations

import subprocess
from pathlib import Path

from bastion.interfaces.cli import main


def _repo(root: Path) -> Path:
    root.mkdir()
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "one", "--allow-empty"]):
        subprocess.run(["git", "-C", str(root), "-c", "user.name=D", "-c", "user.email=d@e", *args],
                       check=True, capture_output=True)
    return root


def _error(capsys, *argv: str) -> str:
    assert main(["scan", *argv, "--no-cache", "--no-progress", "--engine", "secrets"]) == 2
    return capsys.readouterr().err


def test_diff_outside_a_repository(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    err = _error(capsys, str(folder), "--diff", "main")
    assert "--diff main:" in err and "is not inside a git working tree" in err and "Traceback" not in err


def test_diff_with_an_unknown_ref_says_how_to_get_it(tmp_path: Path, capsys) -> None:
    repo = _repo(tmp_path / "repo")
    err = _error(capsys, str(repo), "--diff", "origin/main")
    assert "no commit 'origin/main' in this repository" in err and "git fetch" in err


def test_diff_with_an_option_for_a_ref(tmp_path: Path, capsys) -> None:
    repo = _repo(tmp_path / "repo")
    err = _error(capsys, str(repo), "--diff=--output=/tmp/x")
    assert "is not a git ref" in err


def test_a_file_cannot_leave_the_diff_by_its_name(tmp_path: Path) -> None:
    """git C-quotes a path holding a quote, a backslash, a tab or non-ASCII bytes in its diff header; the
    changed lines of such a file are still found (else a pull request could hide a finding by a file name)."""
    from bastion.pipeline.filters import changed_lines

    repo = _repo(tmp_path / "repo")
    names = ['we"ird.py', "back\\slash.py", "tab\there.py", "été.py"]
    for name in names:
        (repo / name).write_text("a = 1\n")
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=D", "-c", "user.email=d@e", "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=D", "-c", "user.email=d@e", "commit", "-qm", "two"],
                   check=True)
    for name in names:
        (repo / name).write_text("a = 1\nb = 2\n")
    assert changed_lines(repo, "HEAD") == {name: {2} for name in names}


def test_diff_without_git_says_so(tmp_path: Path, capsys, monkeypatch) -> None:
    from bastion.host import git

    repo = _repo(tmp_path / "repo")
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    git.executable.cache_clear()
    try:
        err = _error(capsys, str(repo), "--diff", "HEAD")
    finally:
        git.executable.cache_clear()
    assert "git is not installed" in err and "working tree" not in err
