"""Every git command Bastion runs, run one way: as a reader that never starts a program the repository names.

The scanned repository is hostile. Git reads settings from the repository's
own ``.git/config`` (which git cannot be told to skip), from
``.git/info/attributes`` and the tree's ``.gitattributes``, from system and
global config files and from ``GIT_*`` variables, and several of those name
programs that git starts by itself during "read-only" commands:

=========================================  ==================================================
what git would run                         how it is turned off here
=========================================  ==================================================
hooks (``core.hooksPath``, ``.git/hooks``)  ``core.hooksPath=/dev/null`` (no hook can be found there)
``core.fsmonitor`` (index refresh)          ``core.fsmonitor=false``
``diff.external``, ``diff.<drv>.command``   ``diff.external=`` and ``--no-ext-diff`` (:func:`diff_args`)
``diff.<drv>.textconv``                     ``--no-textconv`` (:func:`diff_args`)
``filter.<drv>.clean/smudge/process``       every configured driver blanked by name (empty names, ``=`` too);
                                            ``core.attributesFile``, system attributes off
pager (``core.pager``, ``pager.<cmd>``)     ``--no-pager``, ``GIT_PAGER=cat``, ``core.pager=cat``
``core.sshCommand``, ``GIT_SSH*``           ``core.sshCommand=false``, every inherited ``GIT_*`` dropped
``core.gitProxy``, ``GIT_PROXY_COMMAND``    ``core.gitProxy=`` and the environment dropped
credential helpers, askpass                 ``credential.helper=`` (resets the list),
                                            ``core.askPass=``, ``GIT_TERMINAL_PROMPT=0``
transports (lazy fetch of partial clones)   ``protocol.allow=never``, ``GIT_NO_LAZY_FETCH=1``
signature checks (``gpg.program``)          ``log.showSignature=false``
editor                                      ``core.editor=true`` (never needed; nothing edits)
submodule recursion (a nested config)       ``diff.submodule=short``, ``--ignore-submodules=all``
system / global config                      ``GIT_CONFIG_NOSYSTEM=1``, ``GIT_CONFIG_GLOBAL=/dev/null``
index writes (``post-index-change`` hook)   ``GIT_OPTIONAL_LOCKS=0``
replace refs                                ``GIT_NO_REPLACE_OBJECTS=1``
=========================================  ==================================================

Settings given with ``-c`` win over every config file, the repository's
included. Nothing here ever checks out, merges or fetches.

``safe.directory``: git refuses a repository owned by another user (its own
defence against exactly this threat). Bastion keeps that refusal, and honours
only the user's own ``safe.directory`` list from their global config (read
once, nothing else from that file), so a CI container whose checkout has
another owner works as it does for the user's own git.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import tempfile
from typing import Sequence

#: git's hard ceiling per command: a hostile config including /dev/zero must not hang a scan.
TIMEOUT_SECONDS = 600

_SAFE_CONFIG = (
    "core.fsmonitor=false", "core.pager=cat", "core.sshCommand=false", "core.gitProxy=", "core.askPass=",
    "core.editor=true", f"core.attributesFile={os.devnull}", "diff.external=", "diff.submodule=short",
    "credential.helper=", "log.showSignature=false", "protocol.allow=never", "color.ui=false",
    "log.decorate=false", "core.quotePath=false", "submodule.recurse=false",
)
#: The keys of a filter driver that name programs; each configured driver gets them blanked.
_DRIVER_PROGRAMS = ("clean", "smudge", "process")


class GitError(RuntimeError):
    """git refused, failed or is missing; the message is for the user."""


@functools.lru_cache(maxsize=1)
def executable() -> str:
    """The git program on PATH; a :class:`GitError` saying so if there is none."""
    git = shutil.which("git")
    if git is None:
        raise GitError("git is not installed (--diff and --history need it)")
    return git


def environment() -> dict[str, str]:
    """The process environment minus every ``GIT_*`` variable the caller had, plus the settings above."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_") and k not in ("PAGER", "SSH_ASKPASS")}
    env.update(
        GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull, GIT_ATTR_NOSYSTEM="1", GIT_TERMINAL_PROMPT="0",
        GIT_NO_REPLACE_OBJECTS="1", GIT_NO_LAZY_FETCH="1", GIT_OPTIONAL_LOCKS="0", GIT_PAGER="cat", PAGER="cat",
        GIT_PROTOCOL_FROM_USER="0", GIT_ALLOW_PROTOCOL="", LC_ALL="C",
    )
    return env


@functools.lru_cache(maxsize=1)
def _user_safe_directories() -> tuple[str, ...]:
    """The user's own ``safe.directory`` entries (global config, with the user's environment), nothing else."""
    try:
        proc = subprocess.run([executable(), "config", "--global", "--get-all", "safe.directory"], stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=30, check=False, cwd=tempfile.gettempdir(),
                              env={k: v for k, v in os.environ.items() if not k.startswith("GIT_")})
    except (OSError, subprocess.TimeoutExpired):
        return ()
    return tuple(line for line in proc.stdout.decode("utf-8", "replace").splitlines() if line)


def _base_argv(repo: str | os.PathLike) -> list[str]:
    argv = [executable(), "-C", os.fspath(repo), "--no-pager", "-c", f"core.hooksPath={os.devnull}"]
    for setting in _SAFE_CONFIG:
        argv += ["-c", setting]
    for directory in _user_safe_directories():
        argv += ["-c", f"safe.directory={directory}"]
    return argv


def _filter_drivers(repo: str | os.PathLike) -> set[str]:
    """The name of every filter driver any config of ``repo`` defines (an empty name included)."""
    proc = subprocess.run([*_base_argv(repo), "config", "-z", "--name-only", "--get-regexp", r"^filter\."],
                          stdin=subprocess.DEVNULL, capture_output=True, env=environment(), timeout=TIMEOUT_SECONDS,
                          check=False)
    names = set()
    for key in proc.stdout.split(b"\0"):
        text = key.decode("utf-8", "surrogateescape")
        if text.count(".") >= 2:
            names.add(text[len("filter."):text.rindex(".")])
    return names


def _invocation(repo: str | os.PathLike, *args: str) -> tuple[list[str], dict[str, str]]:
    """The command line and environment for ``git args`` in ``repo``, every repository-configured program off.

    Filter drivers are blanked through ``GIT_CONFIG_KEY_n``/``GIT_CONFIG_VALUE_n`` rather than ``-c``: a
    driver's name may hold ``=`` (``[filter "a=b"]``), which ``-c name=value`` would split in the wrong place.
    Like ``-c``, these override every config file.
    """
    env = environment()
    names = sorted(_filter_drivers(repo))
    pairs = [(f"filter.{name}.{key}", "") for name in names for key in _DRIVER_PROGRAMS]
    pairs += [(f"filter.{name}.required", "false") for name in names]
    if pairs:
        env["GIT_CONFIG_COUNT"] = str(len(pairs))
        for index, (key, value) in enumerate(pairs):
            env[f"GIT_CONFIG_KEY_{index}"], env[f"GIT_CONFIG_VALUE_{index}"] = key, value
    return [*_base_argv(repo), *args], env


def diff_args(*args: str) -> list[str]:
    """``git diff`` with external diff drivers, textconv and submodule recursion off."""
    return ["diff", "--no-ext-diff", "--no-textconv", "--ignore-submodules=all", "--no-color", *args]


def _message(stderr: bytes, args: Sequence[str]) -> str:
    text = stderr.decode("utf-8", "replace").strip()
    if "dubious ownership" in text:
        return ("git refuses this repository because another user owns it (a repository's config can run "
                "programs); if you trust it, add it with `git config --global --add safe.directory PATH`")
    lines = [line for line in text.splitlines() if not line.startswith(("hint:", "To add an exception"))]
    return lines[-1] if lines else f"git {args[0] if args else ''} failed".strip()


def run(repo: str | os.PathLike, *args: str, stdin: bytes | None = None) -> bytes:
    """git's standard output; a :class:`GitError` with git's own last word if it fails or cannot start."""
    try:
        command, env = _invocation(repo, *args)
        proc = subprocess.run(command, input=stdin, stdin=None if stdin is not None else subprocess.DEVNULL,
                              capture_output=True, env=env, timeout=TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} took longer than {TIMEOUT_SECONDS} s") from None
    except OSError as exc:
        raise GitError(f"cannot run git: {exc.strerror}") from None
    if proc.returncode != 0:
        raise GitError(_message(proc.stderr, args))
    return proc.stdout


def popen(repo: str | os.PathLike, *args: str, stdin: int = subprocess.DEVNULL,
          stderr: int = subprocess.PIPE) -> subprocess.Popen:
    """A streaming git process (``log``, ``cat-file --batch``) under the same settings as :func:`run`."""
    try:
        command, env = _invocation(repo, *args)
        return subprocess.Popen(command, stdin=stdin, stdout=subprocess.PIPE, stderr=stderr, env=env)
    except subprocess.TimeoutExpired:
        raise GitError(f"git config took longer than {TIMEOUT_SECONDS} s") from None
    except OSError as exc:
        raise GitError(f"cannot run git: {exc.strerror}") from None


def describe_failure(stderr: bytes, args: Sequence[str]) -> str:
    """The user-facing message for a streaming command's failure (see :func:`popen`)."""
    return _message(stderr, args)

