"""Where Bastion keeps what it writes: the user's own folders, never the scanned tree, and checked before use.

Two places, both chosen by the user (their environment), never by the scanned repository's config:

- the cache folder: ``$BASTION_CACHE_DIR``, else ``$XDG_CACHE_HOME/bastion``, else ``~/.cache/bastion``
  (the result cache, one folder per scanned root; the advisory database);
- the state folder: ``$BASTION_STATE_DIR``, else ``$XDG_STATE_HOME/bastion``, else
  ``~/.local/state/bastion`` (secret keys: the cache's HMAC key, the fingerprint key).

Every folder Bastion uses there is made 0700 if missing and then checked: it must be a real folder (not
a symlink), owned by this user, and writable by nobody else; a folder that fails is refused with a
:class:`StateError` saying why. Key files are created 0600 with ``O_EXCL | O_NOFOLLOW`` and checked the same
way when read.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import stat
from pathlib import Path

KEY_BYTES = 32


class StateError(OSError):
    """A folder or key file Bastion would use is unsafe (a symlink, another user's, writable by others)."""


def cache_home() -> Path:
    """The user's cache folder for Bastion (not created)."""
    if os.environ.get("BASTION_CACHE_DIR"):
        return Path(os.environ["BASTION_CACHE_DIR"]).absolute()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).absolute() / "bastion"


def state_home() -> Path:
    """The user's state folder for Bastion (not created): where its keys live."""
    if os.environ.get("BASTION_STATE_DIR"):
        return Path(os.environ["BASTION_STATE_DIR"]).absolute()
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base).absolute() / "bastion"


def _check_owned(path: Path, info: os.stat_result, what: str) -> None:
    if info.st_uid != os.getuid():
        raise StateError(f"{what} {path} belongs to another user (uid {info.st_uid}); Bastion will not use it")
    if info.st_mode & 0o022:
        raise StateError(f"{what} {path} is writable by other users (mode {stat.S_IMODE(info.st_mode):o})")


def private_dir(path: Path) -> Path:
    """``path`` as a folder only this user can use: created 0700 (parents too) if missing, else checked.

    Refused if it is a symlink, is not a folder, belongs to another user or others may write to it.
    """
    path = Path(os.path.abspath(path))
    try:
        path.mkdir(mode=0o700, parents=True)
    except FileExistsError:
        pass
    except OSError as exc:
        raise StateError(f"cannot create {path}: {exc.strerror}") from None
    try:
        info = os.lstat(path)
    except OSError as exc:
        raise StateError(f"cannot use {path}: {exc.strerror}") from None
    if stat.S_ISLNK(info.st_mode):
        raise StateError(f"{path} is a symlink; Bastion writes its state only into real folders")
    if not stat.S_ISDIR(info.st_mode):
        raise StateError(f"{path} is not a folder")
    _check_owned(path, info, "folder")
    if info.st_mode & 0o077:
        os.chmod(path, 0o700)
    return path


def cache_dir(*parts: str) -> Path:
    """``<cache folder>/<parts...>``, each level checked (or made) by :func:`private_dir`: no folder on the
    way belongs to someone else or is a symlink."""
    path = private_dir(cache_home())
    for part in parts:
        path = private_dir(path / part)
    return path


def result_cache_dir(root: Path) -> Path:
    """The result cache's folder for the scanned ``root``: ``<cache>/results/<digest of the root's path>``."""
    return cache_dir("results", hashlib.sha256(os.fsencode(os.path.realpath(root))).hexdigest()[:32])


def secret_key(name: str) -> bytes:
    """The per-user random key ``name`` from the state folder, made on first use (32 bytes, file mode 0600)."""
    folder = private_dir(state_home())
    path = folder / f"{name}.key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    except FileExistsError:
        return _read_key(path)
    except OSError as exc:
        raise StateError(f"cannot create {path}: {exc.strerror}") from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(secrets.token_bytes(KEY_BYTES))
    return _read_key(path)


def _read_key(path: Path) -> bytes:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError as exc:
        raise StateError(f"cannot read the key {path}: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise StateError(f"the key {path} is not a regular file")
        _check_owned(path, info, "key file")
        if info.st_mode & 0o077:
            raise StateError(f"the key {path} is readable by other users (mode {stat.S_IMODE(info.st_mode):o}); "
                             "delete it and Bastion makes a new one")
        data = handle.read(KEY_BYTES + 1)
    if len(data) != KEY_BYTES:
        raise StateError(f"the key {path} is damaged ({len(data)} bytes); delete it and Bastion makes a new one")
    return data


def inside(path: Path, root: Path) -> bool:
    """Whether ``path`` is ``root`` or below it, symlinks resolved on both sides."""
    return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root))
