"""The result cache lives outside the scanned tree, in a folder only this user owns, and an entry edited or
planted by anyone without the user's key is ignored."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import zlib
from pathlib import Path

import pytest

import bastion
from bastion.host import state
from bastion.core.config import load_config


def _aws_key_id() -> str:
    """An AWS key id in the real format, made at run time so the repository holds none."""
    import secrets

    return "AKIA" + "".join(secrets.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16))


@pytest.fixture
def user_dirs(tmp_path: Path, monkeypatch) -> tuple[Path, Path]:
    cache, keys = tmp_path / "user-cache", tmp_path / "user-state"
    monkeypatch.setenv("BASTION_CACHE_DIR", str(cache))
    monkeypatch.setenv("BASTION_STATE_DIR", str(keys))
    return cache, keys


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    (root / "settings.py").write_text(f'AWS_ACCESS_KEY_ID = "{_aws_key_id()}"\n')
    return root


def _scan(root: Path):
    return bastion.scan(root, engines=["secrets"], jobs=1, fail_on=None)


def _entries(cache_home: Path) -> list[Path]:
    return list(cache_home.glob("results/*/results.sqlite"))


def test_cache_is_in_the_users_folder_private_and_keyed_by_root(user_dirs, tree: Path) -> None:
    cache_home, keys = user_dirs
    first = _scan(tree)
    assert first.findings and first.stats.files_from_cache == 0
    assert _scan(tree).stats.files_from_cache == 1
    assert sorted(p.name for p in tree.iterdir()) == ["settings.py"], "nothing is written into the scanned tree"
    [database] = _entries(cache_home)
    for folder in (cache_home, cache_home / "results", database.parent, keys):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert (keys / "cache-hmac.key").is_file()
    for key in keys.glob("*.key"):
        assert stat.S_IMODE(key.stat().st_mode) == 0o600 and key.stat().st_size == 32


def _rewrite(database: Path, edit) -> int:
    """Apply ``edit`` to every stored payload, keeping each entry's key and MAC; return how many changed."""
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT key, payload FROM results_v3").fetchall()
        for key, payload in rows:
            value = edit(json.loads(zlib.decompress(payload)))
            db.execute("UPDATE results_v3 SET payload = ? WHERE key = ?", (zlib.compress(json.dumps(value).encode()), key))
    return len(rows)


def test_an_edited_entry_is_ignored_and_the_findings_still_appear(user_dirs, tree: Path) -> None:
    cache_home, _ = user_dirs
    expected = [f.fingerprint for f in _scan(tree).findings]
    assert expected
    assert _rewrite(_entries(cache_home)[0], lambda payload: {**payload, "findings": []}) == 1
    again = _scan(tree)
    assert [f.fingerprint for f in again.findings] == expected
    assert again.stats.files_from_cache == 0


def test_an_entry_planted_under_another_key_is_ignored(user_dirs, tree: Path, tmp_path: Path) -> None:
    from bastion.pipeline.cache import ResultCache

    cache_home, _ = user_dirs
    _scan(tree)
    [database] = _entries(cache_home)
    with sqlite3.connect(database) as db:
        [(key, payload)] = db.execute("SELECT key, payload FROM results_v3").fetchall()
    value = json.loads(zlib.decompress(payload))
    forged = ResultCache(database.parent, b"k" * 32)  # a well-formed entry, MAC'd with a key that is not the user's
    forged.put(key, {**value, "findings": []})
    forged.close()
    assert _scan(tree).findings


def test_the_repositorys_config_cannot_choose_where_bastion_writes(user_dirs, tree: Path, tmp_path: Path) -> None:
    target = tmp_path / "chosen-by-the-repo"
    (tree / "bastion.toml").write_text(f'cache-dir = "{target}"\n')
    report = _scan(tree)
    assert not target.exists()
    assert any("'cache-dir' is ignored" in n.message for n in report.notes)
    assert load_config(tree / "bastion.toml").cache_dir is None


def test_unsafe_cache_folders_are_refused_with_a_note(tmp_path: Path, tree: Path, monkeypatch) -> None:
    monkeypatch.setenv("BASTION_STATE_DIR", str(tmp_path / "keys"))
    real = tmp_path / "elsewhere"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real)
    monkeypatch.setenv("BASTION_CACHE_DIR", str(link))
    report = _scan(tree)
    assert any("result cache off" in n.message and "symlink" in n.message for n in report.notes)
    assert report.findings and not list(real.iterdir())

    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)  # bastion: ignore[permissive-file-permissions] -- a folder others may write to, to show it is refused
    monkeypatch.setenv("BASTION_CACHE_DIR", str(shared))
    report = _scan(tree)
    assert any("writable by other users" in n.message for n in report.notes) and not list(shared.iterdir())

    inside = bastion.scan(tree, engines=["secrets"], jobs=1, fail_on=None,
                          config=bastion.interfaces.api.Config(cache_dir=str(tree / "cache"), fail_on=None))
    assert any("inside the scanned tree" in n.message for n in inside.notes) and not (tree / "cache").exists()


@pytest.mark.skipif(os.getuid() != 0, reason="handing a folder to another user needs root")
def test_a_folder_another_user_owns_is_refused(tmp_path: Path, tree: Path, monkeypatch) -> None:
    theirs = tmp_path / "theirs"
    theirs.mkdir(mode=0o700)
    os.chown(theirs, 1, 1)
    monkeypatch.setenv("BASTION_CACHE_DIR", str(theirs))
    monkeypatch.setenv("BASTION_STATE_DIR", str(tmp_path / "keys"))
    report = _scan(tree)
    assert any("belongs to another user" in n.message for n in report.notes) and report.findings
    with pytest.raises(state.StateError, match="another user"):
        state.private_dir(theirs)
