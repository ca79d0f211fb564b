"""Which reader handles which file, by file name.

Every reader is ``read(path, text, load) -> list[Dependency]``; ``load``
reads a sibling or included file through the workspace's confined reader.
Files under ``node_modules/`` and virtualenvs are installed packages, not
the project's manifests, and are never read.
"""

from __future__ import annotations

import fnmatch
import posixpath
from typing import Callable

from bastion.deps.packages import Dependency, Loader
from bastion.deps.readers import npm, pnpm, pylocks, pyproject, requirements, yarn

Reader = Callable[[str, str, Loader], list[Dependency]]

_BY_NAME: dict[str, Reader] = {
    "pyproject.toml": pyproject.read,
    "poetry.lock": pylocks.read_poetry,
    "uv.lock": pylocks.read_uv,
    "pdm.lock": pylocks.read_pdm,
    "pylock.toml": pylocks.read_pylock,
    "Pipfile.lock": pylocks.read_pipfile_lock,
    "package.json": npm.read_package_json,
    "package-lock.json": npm.read_lock,
    "npm-shrinkwrap.json": npm.read_lock,
    "yarn.lock": yarn.read,
    "pnpm-lock.yaml": pnpm.read,
}
_BY_PATTERN: tuple[tuple[str, Reader], ...] = (
    ("pylock.*.toml", pylocks.read_pylock),
    ("requirements*.txt", requirements.read),
    ("*requirements.txt", requirements.read),
    ("constraints*.txt", requirements.read),
)
#: Files that only declare ranges: when a lockfile of the same ecosystem sits beside them it is the truth.
MANIFESTS = frozenset({"pyproject.toml", "package.json"})
_IGNORED_DIRS = frozenset({"node_modules", ".venv", "venv", "site-packages", ".git", ".tox", ".nox", "bower_components"})


def reader_for(path: str) -> Reader | None:
    """The reader for a workspace-relative path, or None when the file is not a manifest or lockfile."""
    parts = path.split("/")
    if _IGNORED_DIRS.intersection(parts[:-1]):
        return None
    name = parts[-1]
    if name in _BY_NAME:
        return _BY_NAME[name]
    for pattern, reader in _BY_PATTERN:
        if fnmatch.fnmatchcase(name, pattern):
            return reader
    if len(parts) > 1 and parts[-2] == "requirements" and name.endswith(".txt"):
        return requirements.read
    return None


def is_manifest(path: str) -> bool:
    return posixpath.basename(path) in MANIFESTS
