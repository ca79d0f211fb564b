"""Helpers for end-to-end tests on small real projects written to a temp folder (shared by the SAST engines' tests)."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import bastion
from bastion.core.config import Config


def shared_dir() -> Path:
    """The workspace's shared data (OSV records, schemas): ``BASTION_SHARED_DIR``, else beside the checkout,
    else the machine's copy, so a clone made anywhere finds it (the Makefile looks in the same places)."""
    beside = Path(__file__).resolve().parents[2] / "shared"
    for candidate in (os.environ.get("BASTION_SHARED_DIR"), beside, "/work/shared"):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return beside


def write(root: Path, files: dict[str, str]) -> None:
    """Write ``files`` (relative path -> dedented text) under ``root``."""
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text))


class _Recorded:
    """The module names analyses recorded, read back from a file: files are analysed in worker processes
    (forked after the patch, so they run it), never in the test's own process."""

    def __init__(self, path: Path):
        self.path = path

    def _names(self) -> list[str]:
        return self.path.read_text().split() if self.path.exists() else []

    def __iter__(self):
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())

    def __eq__(self, other) -> bool:
        return self._names() == list(other)

    def __repr__(self) -> str:
        return repr(self._names())

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)


def count_analyses(monkeypatch, analyzer_class, tmp_path: Path) -> _Recorded:
    """Record the module name of every analysis ``analyzer_class`` runs, in whichever process runs it."""
    recorded = _Recorded(tmp_path / "analyses.txt")
    real = analyzer_class.run

    def counting(self):
        with open(recorded.path, "a", encoding="utf-8") as out:  # one short append per analysis: lines never interleave
            out.write(self.module.name + "\n")
        return real(self)

    monkeypatch.setattr(analyzer_class, "run", counting)
    return recorded


def scan_project(root: Path, tmp_path: Path, engine: str):
    """Scan ``root`` with one engine, in-process, with a cache under ``tmp_path``."""
    config = Config(cache_dir=str(tmp_path / "cache"), fail_on=None)
    return bastion.scan(root, config=config, engines=[engine], jobs=1)
