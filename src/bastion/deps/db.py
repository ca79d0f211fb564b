"""The local advisory database: OSV records in one SQLite file, indexed by ecosystem and normalized name.

Why SQLite: it is in the standard library, a lookup is one indexed query
(a 2,000-package lockfile costs 2,000 B-tree probes, milliseconds), writes
are transactional so an interrupted update never leaves half a database,
and ``modified`` per record makes updates incremental: a record is
rewritten only when the incoming copy is newer.

Records are stored as compact JSON (zlib-compressed) and decoded only for
packages a scan actually has.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from bastion.deps import osv

SCHEMA_VERSION = "1"
#: A database older than this many days draws a warning at scan time.
STALE_DAYS = 14
UPDATE_HINT = "bastion db update"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS advisory (id TEXT PRIMARY KEY, modified TEXT NOT NULL, record BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS affects (ecosystem TEXT NOT NULL, name TEXT NOT NULL, id TEXT NOT NULL,
                                    PRIMARY KEY (ecosystem, name, id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def default_dir() -> Path:
    """$BASTION_DB_DIR, else $XDG_CACHE_HOME/bastion/osv, else ~/.cache/bastion/osv."""
    if os.environ.get("BASTION_DB_DIR"):
        return Path(os.environ["BASTION_DB_DIR"])
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "bastion" / "osv"


def db_file(directory: str | os.PathLike | None) -> Path:
    return Path(directory) if directory and str(directory).endswith(".sqlite") else Path(directory or default_dir()) / "advisories.sqlite"


@dataclass
class Status:
    path: str
    exists: bool
    records: int = 0
    by_ecosystem: dict[str, int] | None = None
    updated_at: float | None = None
    source: str | None = None

    @property
    def age_days(self) -> float | None:
        return None if self.updated_at is None else max(0.0, (time.time() - self.updated_at) / 86400)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "exists": self.exists,
            "records": self.records,
            "by_ecosystem": self.by_ecosystem or {},
            "updated_at": self.updated_at,
            "age_days": None if self.age_days is None else round(self.age_days, 2),
            "source": self.source,
        }


@dataclass
class ImportStats:
    seen: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    invalid: int = 0


class AdvisoryDB:
    """Read and write access to one database file. Use as a context manager."""

    def __init__(self, directory: str | os.PathLike | None = None, create: bool = False):
        self.path = db_file(directory)
        if not create and not self.path.is_file():
            raise FileNotFoundError(f"no advisory database at {self.path}; run `{UPDATE_HINT}`")
        if create:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(str(self.path))
        self._conn.executescript(_SCHEMA)
        self._cache: dict[tuple[str, str], list[dict[str, Any]]] = {}

    def __enter__(self) -> "AdvisoryDB":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._conn.close()

    # -- writing -------------------------------------------------------------

    def import_records(self, records: Iterable[Any], source: str) -> ImportStats:
        """Store valid records in one transaction: new ids added, newer ``modified`` replaces, rest kept."""
        stats = ImportStats()
        known = dict(self._conn.execute("SELECT id, modified FROM advisory"))
        with self._conn:
            for raw in records:
                stats.seen += 1
                try:
                    record = osv.validate(raw)
                except osv.InvalidRecord:
                    stats.invalid += 1
                    continue
                ident, modified = record["id"], record["modified"]
                if ident in known and known[ident] >= modified:
                    stats.unchanged += 1
                    continue
                blob = zlib.compress(json.dumps(record, separators=(",", ":"), sort_keys=True).encode())
                self._conn.execute("INSERT OR REPLACE INTO advisory VALUES (?, ?, ?)", (ident, modified, blob))
                self._conn.execute("DELETE FROM affects WHERE id = ?", (ident,))
                self._conn.executemany(
                    "INSERT OR IGNORE INTO affects VALUES (?, ?, ?)", [(e, n, ident) for e, n in osv.packages_of(record)]
                )
                stats.updated += ident in known
                stats.added += ident not in known
                known[ident] = modified
            self._conn.executemany(
                "INSERT OR REPLACE INTO meta VALUES (?, ?)",
                [("schema", SCHEMA_VERSION), ("updated_at", repr(time.time())), ("source", source)],
            )
        self._cache.clear()
        return stats

    # -- reading -------------------------------------------------------------

    def advisories(self, ecosystem: str, name: str) -> list[dict[str, Any]]:
        """Every record indexed under (ecosystem, normalized name), withdrawn ones included."""
        key = (ecosystem, name)
        if key not in self._cache:
            rows = self._conn.execute(
                "SELECT a.record FROM affects f JOIN advisory a ON a.id = f.id "
                "WHERE f.ecosystem = ? AND f.name = ? ORDER BY a.id",
                key,
            )
            self._cache[key] = [json.loads(zlib.decompress(blob)) for (blob,) in rows]
        return self._cache[key]

    def status(self) -> Status:
        meta = dict(self._conn.execute("SELECT key, value FROM meta"))
        by_eco = dict(self._conn.execute("SELECT ecosystem, COUNT(DISTINCT id) FROM affects GROUP BY ecosystem ORDER BY ecosystem"))
        (count,) = self._conn.execute("SELECT COUNT(*) FROM advisory").fetchone()
        updated = float(meta["updated_at"]) if "updated_at" in meta else None
        return Status(str(self.path), True, count, by_eco, updated, meta.get("source"))


def status(directory: str | os.PathLike | None = None) -> Status:
    """The database's state without creating it."""
    path = db_file(directory)
    if not path.is_file():
        return Status(str(path), False)
    with AdvisoryDB(directory) as db:
        return db.status()
