"""Feeding the advisory database: OSV export zips and JSON records from disk, or OSV's public exports.

Input is untrusted: a member or file larger than :data:`MAX_RECORD_BYTES`, a
file that is not JSON, or a record that fails validation is counted and
skipped, never fatal. Only ``*.json`` files and ``*.zip`` archives are read;
everything else in a folder is ignored. Symlinks are not followed.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from bastion.deps.db import AdvisoryDB, ImportStats
from bastion.deps.versions import ECOSYSTEMS

MAX_RECORD_BYTES = 4 * 1024 * 1024
MAX_EXPORT_BYTES = 2 * 1024 * 1024 * 1024
#: Where OSV publishes one zip per ecosystem; override with $BASTION_OSV_URL (tests use a local server).
OSV_EXPORT_URL = "https://osv-vulnerabilities.storage.googleapis.com"


@dataclass
class Reader:
    """Collects (origin, record) pairs from files and zips, counting the files it had to skip."""

    unreadable: int = 0
    skipped_files: list[str] = field(default_factory=list)

    def _decode(self, data: bytes, origin: str) -> Iterator[tuple[str, Any]]:
        try:
            value = json.loads(data)
        except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: arrays nested thousands deep
            self.unreadable += 1
            self.skipped_files.append(origin)
            return
        if isinstance(value, list):
            yield from ((f"{origin}[{i}]", item) for i, item in enumerate(value))
        else:
            yield origin, value

    def from_zip(self, source: Any, origin: str) -> Iterator[tuple[str, Any]]:
        try:
            archive = zipfile.ZipFile(source)
        except (zipfile.BadZipFile, OSError):
            self.unreadable += 1
            self.skipped_files.append(origin)
            return
        with archive:
            for info in archive.infolist():
                if info.is_dir() or not info.filename.endswith(".json"):
                    continue
                if info.file_size > MAX_RECORD_BYTES:
                    self.unreadable += 1
                    self.skipped_files.append(f"{origin}:{info.filename}")
                    continue
                try:
                    with archive.open(info) as member:
                        data = member.read(MAX_RECORD_BYTES + 1)
                except (zipfile.BadZipFile, OSError, RuntimeError, EOFError, ValueError):
                    data = b""
                if not data or len(data) > MAX_RECORD_BYTES:
                    self.unreadable += 1
                    self.skipped_files.append(f"{origin}:{info.filename}")
                    continue
                yield from self._decode(data, f"{origin}:{info.filename}")

    def from_path(self, path: Path) -> Iterator[tuple[str, Any]]:
        """Records of a zip, a JSON file, or a folder searched recursively (sorted, symlinks skipped)."""
        if path.is_file():
            if path.suffix == ".zip":
                yield from self.from_zip(str(path), str(path))
            elif path.suffix == ".json":
                if path.stat().st_size > MAX_RECORD_BYTES:
                    self.unreadable += 1
                    self.skipped_files.append(str(path))
                else:
                    yield from self._decode(path.read_bytes(), str(path))
            return
        for dirpath, dirnames, filenames in os.walk(path):
            dirnames.sort()
            for name in sorted(filenames):
                child = Path(dirpath) / name
                if not child.is_symlink() and child.suffix in (".zip", ".json"):
                    yield from self.from_path(child)


def import_path(source: str | os.PathLike, directory: str | os.PathLike | None = None) -> tuple[ImportStats, Reader]:
    """``bastion db update --from PATH``: import every OSV record found under ``source``."""
    path = Path(source)
    if not path.exists():
        raise FileNotFoundError(f"{source}: no such file or folder")
    reader = Reader()
    with AdvisoryDB(directory, create=True) as db:
        stats = db.import_records(reader.from_path(path), source=f"local:{path.resolve()}")
    return stats, reader


def download(directory: str | os.PathLike | None = None, base_url: str | None = None) -> tuple[ImportStats, Reader]:
    """``bastion db update``: fetch each ecosystem's ``all.zip`` export and import it."""
    import httpx

    base = (base_url or os.environ.get("BASTION_OSV_URL") or OSV_EXPORT_URL).rstrip("/")
    reader = Reader()
    total = ImportStats()
    with AdvisoryDB(directory, create=True) as db, httpx.Client(timeout=120, follow_redirects=True) as client:
        for ecosystem in ECOSYSTEMS:
            buffer = io.BytesIO()
            with client.stream("GET", f"{base}/{ecosystem}/all.zip") as response:
                response.raise_for_status()
                for chunk in response.iter_bytes():
                    buffer.write(chunk)
                    if buffer.tell() > MAX_EXPORT_BYTES:
                        raise ValueError(f"{ecosystem} export exceeds {MAX_EXPORT_BYTES} bytes")
            buffer.seek(0)
            stats = db.import_records(reader.from_zip(buffer, f"{base}/{ecosystem}/all.zip"), source=base)
            for key in total.__dict__:
                setattr(total, key, getattr(total, key) + getattr(stats, key))
    return total, reader
