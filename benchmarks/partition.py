"""Halves and quarters of a source tree made of whole packages, for measuring whether cost is linear.

A folder is a unit while it holds at most a fraction of the tree's lines;
a larger one is split into its sub-folders (each a unit or split again) plus
one unit of its own loose files. Units go to the part with the fewest lines
so far, largest first. Each part is materialised as hard links under the same
relative paths (so module names are those of the whole tree), never as
symlinks (a scanner may refuse them).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Part:
    units: list[Path] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    lines: int = 0


def _lines(files: list[Path]) -> int:
    return sum(path.read_bytes().count(b"\n") for path in files)


def _sources(folder: Path, suffixes: tuple[str, ...], recursive: bool) -> list[Path]:
    found = folder.rglob("*") if recursive else folder.iterdir()
    return sorted(p for p in found if p.suffix in suffixes and p.is_file() and not p.is_symlink())


def units(folder: Path, most: int, suffixes: tuple[str, ...]) -> list[tuple[Path, list[Path], int]]:
    """(folder, its files, lines) for each whole-package unit of at most ``most`` lines (a folder larger than that
    and with sub-folders is split)."""
    files = _sources(folder, suffixes, recursive=True)
    lines = _lines(files)
    subfolders = sorted(p for p in folder.iterdir() if p.is_dir() and not p.is_symlink())
    if lines <= most or not subfolders:
        return [(folder, files, lines)] if files else []
    out = []
    loose = _sources(folder, suffixes, recursive=False)
    if loose:
        out.append((folder, loose, _lines(loose)))
    for sub in subfolders:
        out.extend(units(sub, most, suffixes))
    return out


def split(root: Path, parts: int, suffixes: tuple[str, ...] = (".py",)) -> list[Part]:
    """``root`` cut into ``parts`` parts of whole packages, as even in lines as whole packages allow."""
    total = _lines(_sources(root, suffixes, recursive=True))
    pieces = units(root, max(total // (parts * 4), 1), suffixes)
    out = [Part() for _ in range(parts)]
    for folder, files, lines in sorted(pieces, key=lambda piece: -piece[2]):
        lightest = min(out, key=lambda part: part.lines)
        lightest.units.append(folder)
        lightest.files.extend(files)
        lightest.lines += lines
    return out


def materialise(root: Path, part: Part, target: Path) -> Path:
    """Hard links of the part's files under ``target`` at their paths relative to ``root`` (made afresh)."""
    if target.exists():
        shutil.rmtree(target)
    for path in part.files:
        destination = target / path.relative_to(root)
        destination.parent.mkdir(parents=True, exist_ok=True)
        os.link(path, destination)
    return target
