"""The team's own guidelines: Markdown and text documents, split into passages, ranked with BM25.

Lexical ranking (the bm25s library) is fast and deterministic, needs no model
download, and explains itself: a passage ranks because it shares rare words
with the task. The index is cached on disk, keyed by the documents' content,
so an unchanged folder is never re-indexed.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import re2

INDEX_VERSION = "1"
EXTENSIONS = (".md", ".markdown", ".txt", ".rst")
MAX_FILE_BYTES = 1024 * 1024
MAX_FILES = 2000
MAX_PASSAGE_CHARS = 1200
_WORD = re2.compile(r"[a-z0-9][a-z0-9_+#.-]*[a-z0-9+#]|[a-z0-9]")
_HEADING = re2.compile(r"^(#{1,6})\s+(.*)$")
_STOPWORDS = frozenset(
    "a an and are as at be by for from has have in is it its of on or that the this to was were will with "
    "must should can may not no do does we you your our their they them use using when which who".split()
)


@dataclass(frozen=True)
class Passage:
    """One paragraph-sized piece of a guideline document, with where it came from."""

    source: str  # path relative to the guidelines folder
    heading: str
    line: int
    text: str
    score: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "heading": self.heading, "line": self.line, "text": self.text,
                "score": round(self.score, 4)}


def terms(text: str) -> list[str]:
    """Lower-case words without stopwords, lightly stemmed so "passwords" meets "password"."""
    return [_stem(w) for w in _WORD.findall(text.lower()) if w not in _STOPWORDS]


def _stem(word: str) -> str:
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            return word[: len(word) - len(suffix)] + keep
    return word


def split_passages(source: str, text: str) -> list[Passage]:
    """Split a document at headings and blank lines; long paragraphs are cut at the size cap."""
    passages: list[Passage] = []
    heading = ""
    block: list[str] = []
    start = 1

    def flush() -> None:
        body = " ".join(line.strip() for line in block).strip()
        for offset in range(0, len(body), MAX_PASSAGE_CHARS):
            piece = body[offset:offset + MAX_PASSAGE_CHARS]
            if piece:
                passages.append(Passage(source, heading, start, piece))
        block.clear()

    for number, line in enumerate(text.splitlines(), 1):
        found = _HEADING.match(line)
        if found:
            flush()
            heading = found.group(2).strip()
            start = number + 1
        elif not line.strip():
            flush()
            start = number + 1
        else:
            if not block:
                start = number
            block.append(line)
    flush()
    return passages


def _documents(folder: Path) -> list[tuple[str, bytes]]:
    """Regular guideline files under ``folder`` (no symlinks, bounded count and size), sorted by path."""
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.lower().endswith(EXTENSIONS):
                continue
            path = Path(dirpath, name)
            try:
                info = path.lstat()
                if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
                    continue
                found.append((path.relative_to(folder).as_posix(), path.read_bytes()))
            except OSError:
                continue
            if len(found) >= MAX_FILES:
                return found
    return found


def _cache_root() -> Path:
    from bastion.host.state import cache_home

    return cache_home() / "guidelines"  # checked level by level (_checked_folder) before use


class GuidelineIndex:
    """A BM25 index over the passages of one or more guideline folders, loaded from cache when unchanged."""

    def __init__(self, folders: list[Path], cache_dir: Path | None = None):
        documents = []
        for folder in folders:
            if not folder.is_dir():
                raise ValueError(f"guidelines folder not found: {folder}")
            prefix = folder.name if len(folders) > 1 else ""
            documents += [(f"{prefix}/{rel}" if prefix else rel, data) for rel, data in _documents(folder)]
        digest = hashlib.sha256(INDEX_VERSION.encode())
        for rel, data in documents:
            digest.update(rel.encode() + b"\0" + hashlib.sha256(data).digest())
        self.digest = digest.hexdigest()[:24]
        self.cache_path = (cache_dir or _cache_root()) / self.digest
        self.from_cache = False
        self.passages: list[Passage] = []
        self._retriever = None
        if not self._load():
            for rel, data in documents:
                self.passages += split_passages(rel, data.decode("utf-8", "replace"))
            self._build()
            self._save()

    def _build(self) -> None:
        import bm25s

        corpus = [terms(f"{p.heading} {p.text}") or ["\x00empty"] for p in self.passages]
        self._retriever = bm25s.BM25()
        if corpus:
            self._retriever.index(corpus, show_progress=False)

    def _checked_folder(self) -> None:
        """The index folder, each level made or checked to be this user's alone (raises StateError)."""
        from bastion.host.state import cache_dir, private_dir

        if self.cache_path.parent == _cache_root():
            cache_dir("guidelines", self.cache_path.name)
        else:  # a caller's own folder (tests, the API)
            private_dir(self.cache_path)

    def _load(self) -> bool:
        from bastion.host.state import StateError

        meta = self.cache_path / "passages.json"
        if not meta.is_file():
            return False
        try:
            self._checked_folder()  # only an index in folders of this user's own is trusted
        except StateError:
            return False
        try:
            import bm25s

            self.passages = [Passage(**p) for p in json.loads(meta.read_text("utf-8"))]
            if self.passages:
                self._retriever = bm25s.BM25.load(str(self.cache_path / "bm25"), show_progress=False)
        except (OSError, ValueError, TypeError, KeyError):
            self.passages = []
            return False
        self.from_cache = True
        return True

    def _save(self) -> None:
        try:
            self._checked_folder()
            if self.passages and self._retriever is not None:
                self._retriever.save(str(self.cache_path / "bm25"), show_progress=False)
            tmp = self.cache_path / "passages.json.tmp"
            tmp.write_text(json.dumps([p.to_dict() for p in self.passages]), "utf-8")
            tmp.replace(self.cache_path / "passages.json")
        except OSError:
            pass  # a read-only cache only costs re-indexing next time

    def search(self, query: str, top_k: int = 3) -> list[Passage]:
        """The ``top_k`` passages sharing the most (rare) words with ``query``; none when nothing matches."""
        if not self.passages or self._retriever is None or top_k <= 0:
            return []
        vocab = self._retriever.vocab_dict
        tokens = [t for t in terms(query) if t in vocab]
        if not tokens:
            return []
        scores = self._retriever.get_scores(tokens)
        ranked = sorted(range(len(self.passages)), key=lambda i: (-float(scores[i]), i))
        out = []
        for i in ranked[:top_k]:
            if float(scores[i]) <= 0:
                break
            p = self.passages[i]
            out.append(Passage(p.source, p.heading, p.line, p.text, float(scores[i])))
        return out


def search_guidelines(folders: str | Path | list, query: str, top_k: int = 3,
                      cache_dir: Path | None = None) -> list[Passage]:
    """Index (or load the cached index of) the guideline folders and return the passages for ``query``."""
    paths = [Path(f) for f in (folders if isinstance(folders, (list, tuple)) else [folders])]
    return GuidelineIndex(paths, cache_dir).search(query, top_k)
