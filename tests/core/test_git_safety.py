"""No program a scanned repository configures ever runs, whatever Bastion asks git (``scan --diff``,
``scan --history``, ``secrets history``).

Each plant is one way git can be made to start a program: it goes into its own real repository, whose
program writes a marker file. A control first shows that plain git, asked the usual way, does run it
(so the plant is live and the test can fail); then every Bastion command that runs git runs on the same
repository, and the marker must not appear.
"""

from __future__ import annotations

import http.server
import os
import pty
import shutil
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from bastion.interfaces.cli import main

HOOK_NAMES = ("pre-commit", "post-commit", "post-checkout", "post-index-change", "reference-transaction",
              "pre-auto-gc", "post-rewrite", "fsmonitor-watchman")


def plain_git(repo: Path, *args: str, env: dict[str, str] | None = None, tty: bool = False) -> None:
    """Git as a user would run it (their environment, a terminal if ``tty``): the control."""
    full = {**os.environ, "GIT_TERMINAL_PROMPT": "0", **(env or {})}
    if tty:
        leader, follower = pty.openpty()
        try:
            subprocess.run(["git", "-C", str(repo), *args], stdin=subprocess.DEVNULL, stdout=follower,
                           stderr=subprocess.DEVNULL, env=full, timeout=60, check=False)
        finally:
            os.close(follower)
            os.close(leader)
        return
    subprocess.run(["git", "-C", str(repo), *args], stdin=subprocess.DEVNULL, capture_output=True, env=full,
                   timeout=60, check=False)


def setup_git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), "-c", "user.name=Dev", "-c", "user.email=dev@example.com",
                           "-c", "core.hooksPath=/dev/null", *args], check=True, capture_output=True, text=True,
                          timeout=60).stdout


def base_repository(root: Path) -> dict[str, str]:
    """Two commits and a changed working tree: a tracked edit, an untracked file, a secret in history."""
    root.mkdir()
    setup_git(root, "init", "-q", "-b", "main")
    (root / "app.py").write_text("VALUE = 1\n")
    (root / "notes.txt").write_text("token = 'ghp_" + "a1B2c3D4e5" * 3 + "abcdef'\n")
    setup_git(root, "add", "-A")
    setup_git(root, "commit", "-qm", "first")
    old_blob = setup_git(root, "rev-parse", "HEAD:app.py").strip()
    (root / "app.py").write_text("VALUE = 2\n")
    setup_git(root, "commit", "-qam", "second")
    (root / "app.py").write_text("VALUE = 3\nimport os\n")
    (root / "new.py").write_text("print('new')\n")
    return {"old_blob": old_blob}


def program(path: Path, marker: Path) -> str:
    """A program that leaves ``marker`` behind when anything runs it."""
    path.write_text(f"#!/bin/sh\ntouch '{marker}'\nexit 0\n")
    path.chmod(0o755)
    return str(path)


def partial_clone(repo: Path, url: str, old_blob: str) -> None:
    """Make ``repo`` a partial clone of ``url`` missing one blob: reading it makes plain git fetch it."""
    setup_git(repo, "config", "core.repositoryformatversion", "1")
    setup_git(repo, "config", "extensions.partialClone", "origin")
    setup_git(repo, "config", "remote.origin.url", url)
    setup_git(repo, "config", "remote.origin.promisor", "true")
    (repo / ".git" / "objects" / old_blob[:2] / old_blob[2:]).unlink()


@dataclass
class Plant:
    """How to plant one program in ``repo`` (returns the env a user would have, if any) and how plain git runs it."""

    name: str
    plant: Callable[[Path, str, dict[str, str], Path], dict[str, str] | None]
    control: tuple[str, ...]
    tty: bool = False


def _hooks(repo: Path, script: str, info: dict, tmp: Path) -> None:
    for name in HOOK_NAMES:
        shutil.copy(script, repo / ".git" / "hooks" / name)


def _hooks_path(repo: Path, script: str, info: dict, tmp: Path) -> None:
    hooks = tmp / "hostile-hooks"
    hooks.mkdir()
    for name in HOOK_NAMES:
        shutil.copy(script, hooks / name)
    setup_git(repo, "config", "core.hooksPath", str(hooks))


def _config(key: str, value: str | None = None, attributes: str | None = None, info_attributes: bool = False):
    def plant(repo: Path, script: str, info: dict, tmp: Path) -> None:
        setup_git(repo, "config", key, value if value is not None else script)
        if attributes:
            target = repo / ".git" / "info" / "attributes" if info_attributes else repo / ".gitattributes"
            target.parent.mkdir(exist_ok=True)
            target.write_text(attributes + "\n")
    return plant


def _gpg(repo: Path, script: str, info: dict, tmp: Path) -> None:
    """A commit carrying a signature header, verification on by default, the verifier the planted program."""
    setup_git(repo, "config", "gpg.program", script)
    setup_git(repo, "config", "log.showSignature", "true")
    head = setup_git(repo, "cat-file", "commit", "HEAD")
    header, _, message = head.partition("\n\n")
    signed = (f"{header}\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n -----END PGP SIGNATURE-----"
              f"\n\n{message}")
    sha = subprocess.run(["git", "-C", str(repo), "hash-object", "-t", "commit", "-w", "--stdin"], input=signed,
                         capture_output=True, text=True, check=True).stdout.strip()
    setup_git(repo, "update-ref", "refs/heads/main", sha)


def _include(repo: Path, script: str, info: dict, tmp: Path) -> None:
    included = tmp / "included.gitconfig"
    included.write_text(f"[core]\n\tfsmonitor = {script}\n")
    setup_git(repo, "config", "include.path", str(included))


def _global_config(repo: Path, script: str, info: dict, tmp: Path) -> dict[str, str]:
    home = tmp / "home"
    home.mkdir()
    (home / ".gitconfig").write_text(f"[core]\n\tfsmonitor = {script}\n[diff]\n\texternal = {script}\n")
    return {"HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")}


def _environment(repo: Path, script: str, info: dict, tmp: Path) -> dict[str, str]:
    return {"GIT_EXTERNAL_DIFF": script, "GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "core.fsmonitor",
            "GIT_CONFIG_VALUE_0": script, "GIT_SSH_COMMAND": script}


def _transport(url: str, key: str | None = None, extra: dict[str, str] | None = None):
    def plant(repo: Path, script: str, info: dict, tmp: Path) -> None:
        partial_clone(repo, url.replace("SCRIPT", script), info["old_blob"])
        if key:
            setup_git(repo, "config", key, script)
        for name, value in (extra or {}).items():
            setup_git(repo, "config", name, value)
    return plant


class _AskForPassword(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="x"')
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def auth_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _AskForPassword)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/repo.git"
    server.shutdown()
    server.server_close()


DIFF = ("diff", "HEAD~1")
PLANTS = [
    Plant("hooks", _hooks, ("commit", "--allow-empty", "-qm", "x")),
    Plant("core.hooksPath", _hooks_path, ("commit", "--allow-empty", "-qm", "x")),
    Plant("core.fsmonitor", _config("core.fsmonitor"), ("status",)),
    Plant("diff.external", _config("diff.external"), DIFF),
    Plant("diff driver command", _config("diff.evil.command", attributes="*.py diff=evil"), DIFF),
    Plant("textconv", _config("diff.evil.textconv", attributes="*.py diff=evil"), DIFF),
    Plant("clean filter", _config("filter.evil.clean", attributes="*.py filter=evil"), DIFF),
    Plant("smudge filter", _config("filter.evil.smudge", attributes="*.py filter=evil"), ("checkout", "HEAD~1", "--", "app.py")),
    Plant("process filter (info/attributes)",
          _config("filter.evil.process", attributes="* filter=evil", info_attributes=True), DIFF),
    Plant("filter with an empty name", _config("filter..clean", attributes="* filter=", info_attributes=True), DIFF),
    Plant("filter named with '='", _config("filter.a=b.clean", attributes="* filter=a=b", info_attributes=True), DIFF),
    Plant("core.pager", _config("core.pager"), ("log",), tty=True),
    Plant("pager.log", _config("pager.log"), ("log",), tty=True),
    Plant("signature verification", _gpg, ("log", "-1")),
    Plant("include.path", _include, ("status",)),
    Plant("global config", _global_config, ("status",)),
    Plant("inherited GIT_* environment", _environment, DIFF),
    Plant("core.sshCommand (lazy fetch)", _transport("ssh://example.invalid/repo.git", "core.sshCommand"),
          ("cat-file", "-p", "HEAD~1:app.py")),
    Plant("core.gitProxy (lazy fetch)", _transport("git://example.invalid/repo.git", "core.gitProxy"),
          ("cat-file", "-p", "HEAD~1:app.py")),
    Plant("ext:: transport (lazy fetch)", _transport("ext::SCRIPT", extra={"protocol.ext.allow": "always"}),
          ("cat-file", "-p", "HEAD~1:app.py")),
]


def bastion_runs_git(repo: Path) -> None:
    """Every command of Bastion that runs git, on ``repo``."""
    quiet = ["--engine", "secrets", "--no-cache", "--no-progress", "--fail-on", "never", "-q"]
    main(["scan", str(repo), "--diff", "HEAD~1", *quiet])
    main(["scan", str(repo), "--history", *quiet])
    main(["secrets", "history", str(repo), "--no-progress", "--format", "json"])


def check(plant: Plant, tmp_path: Path, monkeypatch, capsys, extra_plant=None) -> None:
    repo = tmp_path / "repo"
    info = base_repository(repo)
    marker = tmp_path / "program-ran"
    script = program(tmp_path / "planted-program", marker)
    user_env = (extra_plant or plant.plant)(repo, script, info, tmp_path) or {}

    control = tmp_path / "control"
    shutil.copytree(repo, control, symlinks=True)
    for path in (control / ".git" / "config",):
        path.write_text(path.read_text().replace(str(repo), str(control)))
    plain_git(control, *plant.control, env=user_env, tty=plant.tty)
    assert marker.exists(), f"control: plain git did not run the planted {plant.name} program"
    marker.unlink()

    for name, value in user_env.items():
        monkeypatch.setenv(name, value)
    bastion_runs_git(repo)
    capsys.readouterr()
    assert not marker.exists(), f"Bastion let git run the repository's {plant.name} program"


@pytest.mark.parametrize("plant", PLANTS, ids=[p.name for p in PLANTS])
def test_no_planted_program_runs(plant: Plant, tmp_path: Path, monkeypatch, capsys) -> None:
    check(plant, tmp_path, monkeypatch, capsys)


@pytest.mark.parametrize(("key", "value"), [("credential.helper", "!{script}"), ("core.askPass", "{script}")])
def test_credential_programs_never_run(key: str, value: str, tmp_path: Path, monkeypatch, capsys,
                                       auth_server: str) -> None:
    """A fetch that meets a password prompt (a server of the test's own answering 401) would ask the
    repository's credential helper or askpass program."""
    plant = Plant(key, _transport(auth_server), ("cat-file", "-p", "HEAD~1:app.py"))

    def planted(repo: Path, script: str, info: dict, tmp: Path) -> None:
        plant.plant(repo, script, info, tmp)
        setup_git(repo, "config", key, value.format(script=script))

    check(plant, tmp_path, monkeypatch, capsys, extra_plant=planted)


def test_diff_and_history_still_work_under_the_restrictions(tmp_path: Path, capsys) -> None:
    """The same settings leave git able to do the job: the changed lines and the history are read."""
    from bastion.pipeline.filters import changed_lines

    repo = tmp_path / "repo"
    base_repository(repo)
    assert changed_lines(repo, "HEAD~1") == {"app.py": {1, 2}, "new.py": None}
    assert main(["secrets", "history", str(repo), "--no-progress", "--format", "json"]) == 1
    assert "ghp_" in capsys.readouterr().out  # the finding (redacted value keeps its prefix)


@pytest.mark.skipif(os.getuid() != 0, reason="handing a repository to another user needs root")
def test_another_users_repository_is_refused_unless_the_user_trusts_it(tmp_path: Path, monkeypatch) -> None:
    """git's own defence stays on: a repository another user owns is refused with a message saying how to
    trust it, and the user's own ``safe.directory`` list (and nothing else of their global config) is honoured."""
    from bastion.host import git
    from bastion.pipeline.filters import DiffError, changed_lines

    repo = tmp_path / "repo"
    base_repository(repo)
    for path in [repo, *repo.rglob("*")]:
        os.lchown(path, 1, 1)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    git._user_safe_directories.cache_clear()
    try:
        with pytest.raises(DiffError, match="another user owns it"):
            changed_lines(repo, "HEAD~1")
        (home / ".gitconfig").write_text(f"[safe]\n\tdirectory = {repo}\n")
        git._user_safe_directories.cache_clear()
        assert changed_lines(repo, "HEAD~1") == {"app.py": {1, 2}, "new.py": None}
    finally:
        git._user_safe_directories.cache_clear()
