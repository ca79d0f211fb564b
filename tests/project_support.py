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


def count_analyses(monkeypatch, analyzer_class) -> list[str]:
    """Record the module name of every analysis ``analyzer_class`` runs (inline runs only: one job)."""
    calls: list[str] = []
    real = analyzer_class.run

    def counting(self):
        calls.append(self.module.name)
        return real(self)

    monkeypatch.setattr(analyzer_class, "run", counting)
    return calls


def scan_project(root: Path, tmp_path: Path, engine: str):
    """Scan ``root`` with one engine, in-process, with a cache under ``tmp_path``."""
    config = Config(cache_dir=str(tmp_path / "cache"), fail_on=None)
    return bastion.scan(root, config=config, engines=[engine], jobs=1)
