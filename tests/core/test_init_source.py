"""`bastion init` installs Bastion in CI from a source that exists, the hash-checked way, and updates the
advisory database before scanning; never from a placeholder."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from bastion.interfaces.cli import main
from bastion.interfaces.cli.init import Source, UsageError, parse_source, source_from_direct_url

ROOT = Path(__file__).resolve().parents[2]


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), "-c", "user.name=D", "-c", "user.email=d@e", *args],
                          check=True, capture_output=True, text=True).stdout.strip()


def test_a_git_install_is_pinned_to_its_commit() -> None:
    info = {"url": "https://github.com/org/bastion", "vcs_info": {"vcs": "git", "commit_id": "a" * 40}}
    assert source_from_direct_url(info) == Source("https://github.com/org/bastion", "a" * 40)


def test_a_local_checkout_is_named_by_its_remote_and_commit(tmp_path: Path) -> None:
    checkout = tmp_path / "bastion"
    checkout.mkdir()
    _git(checkout, "init", "-q")
    _git(checkout, "commit", "-q", "--allow-empty", "-m", "one")
    info = {"url": checkout.as_uri(), "dir_info": {"editable": True}}
    assert source_from_direct_url(info) is None, "a folder without a remote is nothing CI can clone"
    _git(checkout, "remote", "add", "origin", "https://git.example.org/team/bastion.host.git")
    assert source_from_direct_url(info) == Source("https://git.example.org/team/bastion.host.git",
                                                  _git(checkout, "rev-parse", "HEAD"))


@pytest.mark.parametrize("text", ["https://github.com/org/bastion", "/home/me/bastion@v1", "file:///x@v1",
                                  "https://github.com/org/bastion@v1;rm -rf /", "https://h/o/r@$(id)"])
def test_sources_ci_cannot_use_are_refused(text: str) -> None:
    with pytest.raises(UsageError):
        parse_source(text)


def test_init_without_a_known_source_says_what_to_give(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setattr("bastion.interfaces.cli.init.installation_source", lambda: None)
    assert main(["init", "--root", str(tmp_path)]) == 2
    assert "--source URL@REF" in capsys.readouterr().err
    assert not (tmp_path / ".github").exists()


def test_written_workflow_installs_hash_checked_and_updates_the_database_first(tmp_path: Path, capsys) -> None:
    assert main(["init", "--root", str(tmp_path), "--source", "git+https://github.com/org/bastion@v0.1.0"]) == 0
    text = (tmp_path / ".github/workflows/bastion.yml").read_text()
    workflow = yaml.safe_load(text)
    steps = workflow["jobs"]["bastion"]["steps"]
    names = [s.get("name", s.get("uses", "")) for s in steps]
    install = next(s for s in steps if s.get("name", "").startswith("Install Bastion"))
    assert install["env"] == {"BASTION_SOURCE": "https://github.com/org/bastion", "BASTION_REF": "v0.1.0"}
    assert ".ci/install-locked.sh" in install["run"]
    update = names.index("Update the advisory database")
    assert names.index(next(n for n in names if n.startswith("Restore the advisory database"))) < update
    assert update < names.index("Scan")
    assert "placeholder" not in text and "bastion-security" not in text
    precommit = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text())
    assert precommit["repos"][0]["repo"] == "https://github.com/org/bastion" and precommit["repos"][0]["rev"] == "v0.1.0"
    for script in [install["run"], (ROOT / ".ci/install-locked.sh").read_text()]:
        assert subprocess.run(["bash", "-n"], input=script, text=True).returncode == 0
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert ".ci/install-locked.sh" in action["runs"]["steps"][0]["run"]
    assert "--require-hashes" in (ROOT / ".ci/install-locked.sh").read_text()
