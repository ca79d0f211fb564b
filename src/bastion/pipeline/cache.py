"""Per-file result cache: an unchanged file under unchanged rules and config is not analysed again.

The key is the file's path and content digest, Bastion's version, the
enabled engines with their data digests, and the config digest. Values are
the worker's output (findings, notes, suppressions) as compressed JSON in one
SQLite file, written only by the main process; workers open it read-only to
look up the files they read and send back a hit's JSON text undecoded (a
decoded payload would cost a second encoding to cross the process boundary).
The digests of other files a result read are a column of their own, so a
worker can tell whether a hit is still valid without decoding it. Findings are
stored exactly as reports would show them, so secret values are already
redacted.

The cache lives in the user's cache folder (:func:`bastion.host.state.result_cache_dir`), never in the scanned
tree, and every entry carries an HMAC-SHA256 of its key, reads and payload under a per-user secret key
(:func:`bastion.host.state.secret_key`): an entry edited or planted by anyone without that key fails the check
and counts as a miss, so the file is analysed again.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import sqlite3
import zlib
from pathlib import Path
from typing import Any

_SCHEMA = ("CREATE TABLE IF NOT EXISTS results_v3 (key TEXT PRIMARY KEY, reads TEXT, payload BLOB NOT NULL, "
           "mac BLOB NOT NULL)")


class ResultCache:
    """A key-value store of per-file results. Any failure degrades to a cache miss, never to a failed scan."""

    def __init__(self, directory: Path, secret: bytes):
        """Open (or create) the cache in ``directory``, a folder the caller has checked
        (:func:`bastion.host.state.private_dir`); ``secret`` keys the entries' HMACs."""
        self.path = directory / "results.sqlite"
        self._secret = secret
        self._db: sqlite3.Connection | None = None
        self._pending: list[tuple[str, str | None, bytes, bytes]] = []
        try:
            self._db = sqlite3.connect(self.path, timeout=5)
            self._db.execute(_SCHEMA)
        except (OSError, sqlite3.Error):
            self._db = None

    @classmethod
    def reader(cls, path: Path, secret: bytes) -> "ResultCache":
        """A read-only handle on an existing cache file (a worker's): it never creates or writes anything."""
        cache = cls.__new__(cls)
        cache.path, cache._pending, cache._secret = path, [], secret
        try:
            cache._db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
        except (OSError, sqlite3.Error):
            cache._db = None
        return cache

    @property
    def usable(self) -> bool:
        return self._db is not None

    @property
    def secret(self) -> bytes:
        """The HMAC key, for the workers' read-only handles."""
        return self._secret

    @staticmethod
    def key(relpath: str, content_digest: str, salt: str) -> str:
        return hashlib.sha256("\x1f".join((relpath, content_digest, salt)).encode("utf-8", "surrogatepass")).hexdigest()

    def _mac(self, key: str, reads: str | None, payload: bytes) -> bytes:
        material = b"\0".join((key.encode(), (reads or "").encode("utf-8", "surrogatepass"), payload))
        return hmac.new(self._secret, material, hashlib.sha256).digest()

    def lookup(self, key: str) -> tuple[dict[str, str], bytes] | None:
        """(digests of the other files the result read, the payload's JSON text); None on a miss.

        An entry whose HMAC does not match (edited, planted, or written under another key) is a miss,
        analysed again; so is a damaged one (zlib's checksum).
        """
        if self._db is None:
            return None
        try:
            row = self._db.execute("SELECT reads, payload, mac FROM results_v3 WHERE key = ?", (key,)).fetchone()
            if row is None or not hmac.compare_digest(bytes(row[2]), self._mac(key, row[0], bytes(row[1]))):
                return None
            return json.loads(row[0]) if row[0] else {}, zlib.decompress(row[1])
        except (sqlite3.Error, zlib.error, ValueError, TypeError):
            return None

    @staticmethod
    def decode(text: bytes) -> dict[str, Any] | None:
        """The payload from :meth:`lookup`'s JSON text; None if it is not a payload."""
        try:
            payload = json.loads(text)
        except ValueError:
            return None
        return payload if isinstance(payload, dict) else None

    def put(self, key: str, value: dict[str, Any]) -> None:
        reads = json.dumps(value["reads"], sort_keys=True) if value.get("reads") else None
        payload = zlib.compress(json.dumps(value, separators=(",", ":")).encode(), 1)
        self._pending.append((key, reads, payload, self._mac(key, reads, payload)))

    def flush(self) -> None:
        if self._db is None or not self._pending:
            return
        try:
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO results_v3 (key, reads, payload, mac) VALUES (?, ?, ?, ?)",
                                     self._pending)
        except sqlite3.Error:
            pass
        self._pending.clear()

    def close(self) -> None:
        self.flush()
        if self._db is not None:
            self._db.close()
            self._db = None
