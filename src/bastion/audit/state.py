"""Review state: which items a reviewer has looked at, kept in ``.bastion-review.json`` in the repository.

The file is written only when a reviewer asks (``bastion audit --mark``) and
read as untrusted data: size-capped, through the confined reader (a symlink
out of the tree is refused), validated key by key; a malformed file is an
error that names the problem, never a silent "nothing reviewed". The next
audit marks each item ``new``, ``changed`` (its code or question changed
since it was reviewed) or ``reviewed``, and each entry point ``new``,
``changed`` or ``unchanged``.
"""

from __future__ import annotations

import hmac

import datetime
import hashlib
import hmac
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from bastion.audit.model import EntryPoint
from bastion.host.files import read_confined

STATE_FILE = ".bastion-review.json"
MAX_STATE_BYTES = 5_000_000
_ID = re.compile(r"^[0-9a-f]{16}$")
_TEXT_LIMIT = 2000


class StateError(ValueError):
    """The review file is malformed or could not be read; the message says where."""


@dataclass
class Mark:
    digest: str
    by: str = ""
    note: str = ""
    at: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"digest": self.digest, "by": self.by, "note": self.note, "at": self.at}


@dataclass
class ReviewState:
    path: str
    reviewed: dict[str, Mark] = field(default_factory=dict)
    entry_points: dict[str, str] = field(default_factory=dict)  # entry id -> digest when last reviewed
    exists: bool = False

    def item_status(self, item: Any) -> str:
        mark = self.reviewed.get(item.id)
        if mark is None:
            return "new"
        return "reviewed" if hmac.compare_digest(mark.digest, item.digest) else "changed"

    def entry_status(self, entry: EntryPoint) -> str:
        known = self.entry_points.get(entry.id)
        if known is None:
            return "new" if self.exists else "unreviewed"
        return "unchanged" if hmac.compare_digest(known, entry_digest(entry)) else "changed"

    def to_dict(self) -> dict[str, Any]:
        return {"version": 1, "reviewed": {k: v.to_dict() for k, v in sorted(self.reviewed.items())}, "entry_points": dict(sorted(self.entry_points.items()))}


def entry_digest(entry: EntryPoint) -> str:
    """What a reviewer saw of an entry point, without line numbers: its inputs, guards and operations."""
    material = {
        "methods": list(entry.methods), "path": entry.path, "handler": entry.handler.name,
        "params": sorted([p.name, p.location, p.type or "", p.required] for p in entry.params),
        "guards": sorted([g.kind, g.name] for g in entry.guards),
        "reaches": sorted([r.category, r.call] for r in entry.reaches),
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()[:16]


def _state_path(root: Path, state_file: Path | str | None) -> tuple[Path, str]:
    base = root if root.is_dir() else root.parent
    if state_file is None:
        return base, STATE_FILE
    path = Path(state_file)
    if not path.is_absolute():
        return base, str(path)
    return path.parent, path.name


def load_state(root: Path, state_file: Path | str | None = None) -> ReviewState:
    base, relpath = _state_path(root, state_file)
    display = relpath if state_file is None or not Path(state_file).is_absolute() else str(state_file)
    if not (base / relpath).exists() and not (base / relpath).is_symlink():
        return ReviewState(display)
    try:
        data = read_confined(base, relpath, MAX_STATE_BYTES)
    except (OSError, ValueError) as exc:
        raise StateError(f"review file {display}: cannot read it ({exc})") from None
    return parse_state(data, display)


def parse_state(data: bytes, display: str) -> ReviewState:
    """Validate a review file's bytes; raise StateError naming the first problem."""
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise StateError(f"review file {display}: not valid JSON ({exc})") from None
    if not isinstance(doc, dict):
        raise StateError(f"review file {display}: expected an object at the top level")
    if doc.get("version", 1) != 1:
        raise StateError(f"review file {display}: unsupported version {doc.get('version')!r}")
    state = ReviewState(display, exists=True)
    reviewed = doc.get("reviewed", {})
    if not isinstance(reviewed, dict):
        raise StateError(f"review file {display}: 'reviewed' must be an object")
    for item_id, mark in reviewed.items():
        if not _ID.match(item_id) or not isinstance(mark, dict) or not isinstance(mark.get("digest"), str) or not _ID.match(mark["digest"]):
            raise StateError(f"review file {display}: bad entry under 'reviewed': {str(item_id)[:40]!r}")
        texts = [mark.get(k, "") for k in ("by", "note", "at")]
        if not all(isinstance(t, str) and len(t) <= _TEXT_LIMIT for t in texts):
            raise StateError(f"review file {display}: 'by', 'note' and 'at' of {item_id} must be short strings")
        state.reviewed[item_id] = Mark(mark["digest"], *texts)
    entries = doc.get("entry_points", {})
    if not isinstance(entries, dict) or not all(isinstance(k, str) and len(k) < 2000 and isinstance(v, str) and _ID.match(v) for k, v in entries.items()):
        raise StateError(f"review file {display}: 'entry_points' must map entry point ids to digests")
    state.entry_points = dict(entries)
    return state


def mark_reviewed(root: Path, state: ReviewState, items: Iterable[Any], entries: Iterable[EntryPoint], *, by: str = "", note: str = "",
                  state_file: Path | str | None = None) -> Path:
    """Record ``items`` as reviewed (with their current digests) and the entry points as seen; write the file atomically."""
    today = datetime.date.today().isoformat()
    for item in items:
        state.reviewed[item.id] = Mark(item.digest, by[:_TEXT_LIMIT], note[:_TEXT_LIMIT], today)
    for entry in entries:
        state.entry_points[entry.id] = entry_digest(entry)
    base, relpath = _state_path(root, state_file)
    target = base / relpath
    if target.is_symlink():
        raise StateError(f"review file {target} is a symbolic link: refusing to write through it")
    fd, tmp = tempfile.mkstemp(prefix=".bastion-review.", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(state.to_dict(), handle, indent=2, sort_keys=True)
            handle.write("\n")
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return target
