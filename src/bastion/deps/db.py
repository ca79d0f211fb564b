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
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

from bastion.deps import osv
from bastion.core.engine_api import CannotCheck

SCHEMA_VERSION = "1"
#: A scan stops when the newest advisory in the database is older than this many days (configurable).
MAX_AGE_DAYS = 14
UPDATE_HINT = "bastion db update"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS advisory (id TEXT PRIMARY KEY, modified TEXT NOT NULL, record BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS affects (ecosystem TEXT NOT NULL, name TEXT NOT NULL, id TEXT NOT NULL,
                                    PRIMARY KEY (ecosystem, name, id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def default_dir() -> Path:
    """The one default for every entry point (CLI, Makefile, MCP, the Action): $BASTION_DB_DIR, else
    ``osv`` in Bastion's cache folder ($BASTION_CACHE_DIR, $XDG_CACHE_HOME/bastion or ~/.cache/bastion)."""
    from bastion.host.state import cache_home

    if os.environ.get("BASTION_DB_DIR"):
        return Path(os.environ["BASTION_DB_DIR"])
    return cache_home() / "osv"


def db_file(directory: str | os.PathLike | None) -> Path:
    return Path(directory) if directory and str(directory).endswith(".sqlite") else Path(directory or default_dir()) / "advisories.sqlite"


def parse_timestamp(text: str) -> datetime:
    """An OSV RFC 3339 timestamp (``2024-10-10T17:22:00Z``, fractions and offsets too), as UTC."""
    value = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


@dataclass
class Status:
    """What ``bastion db status`` shows: where the database is, how old its data is, what it covers."""

    path: str
    exists: bool
    records: int = 0
    packages: int = 0  # distinct (ecosystem, name) pairs with at least one advisory
    by_ecosystem: dict[str, int] | None = None  # records per ecosystem
    packages_by_ecosystem: dict[str, int] | None = None
    updated_at: float | None = None  # when this database was last written (an import)
    newest_modified: str | None = None  # the newest advisory's own ``modified``: the data's age
    source: str | None = None

    @property
    def age_days(self) -> float | None:
        """Age of the data itself: days since the newest advisory was modified (not since the import)."""
        if self.newest_modified is None:
            return None
        try:
            newest = parse_timestamp(self.newest_modified)
        except ValueError:
            return None
        return max(0.0, (datetime.now(timezone.utc) - newest).total_seconds() / 86400)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "exists": self.exists,
            "records": self.records,
            "packages": self.packages,
            "by_ecosystem": self.by_ecosystem or {},
            "packages_by_ecosystem": self.packages_by_ecosystem or {},
            "updated_at": self.updated_at,
            "newest_modified": self.newest_modified,
            "age_days": None if self.age_days is None else round(self.age_days, 2),
            "source": self.source,
        }


def require_fresh(directory: str | os.PathLike | None, max_age_days: int, allow_stale: bool) -> tuple[Status, str | None]:
    """The database's status, if it is there and its data is young enough.

    Otherwise a :class:`~bastion.core.engine_api.CannotCheck` that stops the scan, or, when the user opted out
    (``allow_stale``), a warning to show instead. A check that could not run never reads as a pass.
    """
    state = status(directory)
    if not state.exists or state.records == 0:
        problem = (f"no advisory database at {state.path}: known vulnerabilities cannot be checked. "
                   f"Run `{UPDATE_HINT}` (or `bastion db update --from PATH` offline)")
    elif state.age_days is None or state.age_days > max_age_days:
        newest = state.newest_modified or "unknown"
        problem = (f"the advisory database at {state.path} is out of date: its newest advisory is from {newest[:10]}, "
                   f"more than {max_age_days} days ago. Run `{UPDATE_HINT}`")
    else:
        return state, None
    if not allow_stale:
        raise CannotCheck(f"{problem}; or accept it with --allow-stale-db (config: [tool.bastion.deps] "
                          "allow_stale_db = true)")
    return state, f"{problem} (accepted with allow_stale_db)"


@dataclass
class ImportStats:
    """What an import did. ``duplicates`` are copies of a record already read in the same import (a folder
    holding an export zip and its JSON files); ``skipped`` names each invalid record and why."""

    seen: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    invalid: int = 0
    skipped: list[str] = field(default_factory=list)


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

    def import_records(self, records: Iterable[tuple[str, Any]], source: str) -> ImportStats:
        """Store valid records in one transaction: new ids added, a newer ``modified`` replaces, the rest
        kept. ``records`` are (where it came from, record) pairs; a bad record is named and skipped, never
        the end of the import."""
        stats = ImportStats()
        stored = {ident: _instant(modified) for ident, modified in self._conn.execute("SELECT id, modified FROM advisory")}
        this_import: set[str] = set()
        with self._conn:
            for origin, raw in records:
                stats.seen += 1
                try:
                    record = osv.validate(raw)
                    ident, modified = record["id"], _instant(record["modified"])
                    if ident in this_import and stored[ident] >= modified:
                        stats.duplicates += 1
                        continue
                    if ident in stored and ident not in this_import and stored[ident] >= modified:
                        stats.unchanged += 1
                        this_import.add(ident)
                        continue
                    text = json.dumps(record, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
                    blob = zlib.compress(text.encode())  # a lone surrogate anywhere fails here, not in SQLite
                    affects = [(e, n, ident) for e, n in osv.packages_of(record)]
                except (osv.InvalidRecord, ValueError, TypeError, RecursionError, UnicodeError) as exc:
                    stats.invalid += 1
                    stats.skipped.append(f"{origin}: {str(exc)[:200] or type(exc).__name__}")
                    continue
                self._conn.execute("INSERT OR REPLACE INTO advisory VALUES (?, ?, ?)", (ident, record["modified"], blob))
                self._conn.execute("DELETE FROM affects WHERE id = ?", (ident,))
                self._conn.executemany("INSERT OR IGNORE INTO affects VALUES (?, ?, ?)", affects)
                if ident in this_import:
                    stats.duplicates += 1  # a newer copy within the same import: counted once already
                elif ident in stored:
                    stats.updated += 1
                else:
                    stats.added += 1
                stored[ident] = modified
                this_import.add(ident)
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
        packages = dict(self._conn.execute("SELECT ecosystem, COUNT(DISTINCT name) FROM affects GROUP BY ecosystem"))
        (count,) = self._conn.execute("SELECT COUNT(*) FROM advisory").fetchone()
        newest = max((m for (m,) in self._conn.execute("SELECT modified FROM advisory")), key=_instant, default=None)
        updated = float(meta["updated_at"]) if "updated_at" in meta else None
        return Status(str(self.path), True, count, sum(packages.values()), by_eco, dict(sorted(packages.items())),
                      updated, newest, meta.get("source"))


def _instant(text: str) -> datetime:
    """A stored ``modified`` as a comparable instant (the oldest possible if unreadable, so any copy wins)."""
    try:
        return parse_timestamp(text)
    except ValueError:
        return datetime.min.replace(tzinfo=timezone.utc)


def status(directory: str | os.PathLike | None = None) -> Status:
    """The database's state without creating it."""
    path = db_file(directory)
    if not path.is_file():
        return Status(str(path), False)
    with AdvisoryDB(directory) as db:
        return db.status()
