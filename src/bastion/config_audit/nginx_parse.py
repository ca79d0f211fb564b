"""nginx configuration as a tree of directives, with includes followed inside the scanned root.

crossplane's lexer (the tokenizer of the nginx project's own parser
library) turns the text into tokens; the tree is built here because
crossplane's ``parse`` only reads files by name and would follow includes
anywhere on the disk. Includes are resolved against the including file's
folder and the scan root only, read with :func:`read_confined`, and bounded
in count and depth, so a hostile config cannot make us read outside the root
or loop.
"""

from __future__ import annotations

import glob
import io
import os
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from crossplane.errors import NgxParserBaseException
from crossplane.lexer import _lex_file_object

from bastion.host.files import read_confined

#: Reads another file of the tree: (relative path, byte limit) -> bytes.
Reader = Callable[[str, int], bytes]

MAX_DEPTH = 64
MAX_INCLUDED_FILES = 64
MAX_INCLUDE_DEPTH = 8
MAX_INCLUDE_BYTES = 1024 * 1024
#: All the includes of one file together: one 1 MB file included 64 times took 2.4 GB as directives.
MAX_INCLUDED_TOTAL_BYTES = 2 * 1024 * 1024


class NginxError(ValueError):
    """The text cannot be read as an nginx configuration."""


@dataclass
class Directive:
    """One nginx directive: its name, arguments, line, file (relative path) and block, if any."""

    name: str
    args: list[str]
    line: int
    file: str
    block: list["Directive"] | None = None
    parent: "Directive | None" = field(default=None, repr=False)

    def children(self, name: str) -> list["Directive"]:
        return [d for d in self.block or () if d.name == name]

    def first(self, name: str) -> "Directive | None":
        found = self.children(name)
        return found[0] if found else None


def parse_text(text: str, path: str) -> list[Directive]:
    """The directives of one file, without following includes."""
    try:
        tokens = list(_lex_file_object(io.StringIO(text)))
    except (NgxParserBaseException, StopIteration, RuntimeError) as exc:
        raise NginxError(f"nginx syntax error: {exc}") from None
    root: list[Directive] = []
    stack: list[tuple[list[Directive], Directive | None]] = [(root, None)]
    words: list[str] = []
    word_line = 0
    for token, line, quoted in tokens:
        if quoted or token not in ("{", "}", ";"):
            if token.startswith("#") and not quoted:
                continue
            if not words:
                word_line = line
            words.append(token)
            continue
        current, parent = stack[-1]
        if token == "}":
            if words or len(stack) == 1:
                raise NginxError(f"unexpected '}}' on line {line}")
            stack.pop()
            continue
        if not words:
            if token == ";":
                continue
            raise NginxError(f"block without a directive on line {line}")
        directive = Directive(words[0], words[1:], word_line, path, parent=parent)
        current.append(directive)
        words = []
        if token == "{":
            if len(stack) > MAX_DEPTH:
                raise NginxError(f"blocks nested deeper than {MAX_DEPTH}")
            directive.block = []
            stack.append((directive.block, directive))
    if words or len(stack) > 1:
        raise NginxError("unexpected end of file (missing ';' or '}')")
    return root


class IncludeResolver:
    """Expands ``include`` directives in place, reading only files under the scan root."""

    def __init__(self, root: Path, including_path: str, read: Reader):
        self.root = root
        self.read = read
        self.base = posixpath.dirname(including_path)
        self.loaded = 0
        self.loaded_bytes = 0
        self.notes: list[str] = []

    def candidates(self, pattern: str) -> list[str]:
        """Relative paths under the root that ``pattern`` may mean, most specific first.

        An absolute path like ``/etc/nginx/snippets/ssl.conf`` is matched by
        its trailing components against the including file's folder and the
        root, since a repository keeps ``/etc/nginx`` somewhere inside it.
        """
        parts = [p for p in pattern.replace("\\", "/").split("/") if p not in ("", ".")]
        if not parts or ".." in parts:
            return []
        found: list[str] = []
        for start in range(len(parts)):
            tail = "/".join(parts[start:])
            for base in (self.base, ""):
                rel = posixpath.join(base, tail) if base else tail
                for match in sorted(glob.glob(glob.escape(str(self.root)) + "/" + rel if _has_magic(rel)
                                              else str(self.root / rel))):
                    relmatch = os.path.relpath(match, self.root).replace(os.sep, "/")
                    if os.path.isfile(match) and relmatch not in found:
                        found.append(relmatch)
            if found:
                return found
        return found

    def expand(self, directives: list[Directive], depth: int = 0, seen: tuple[str, ...] = ()) -> None:
        for index in range(len(directives) - 1, -1, -1):
            directive = directives[index]
            if directive.block is not None:
                self.expand(directive.block, depth, seen)
            if directive.name != "include" or len(directive.args) != 1:
                continue
            included: list[Directive] = []
            for relpath in self.candidates(directive.args[0]):
                if relpath in seen or depth >= MAX_INCLUDE_DEPTH or self.loaded >= MAX_INCLUDED_FILES:
                    continue
                self.loaded += 1
                try:
                    data = self.read(relpath, MAX_INCLUDE_BYTES)
                    if self.loaded_bytes + len(data) > MAX_INCLUDED_TOTAL_BYTES:
                        self.notes.append(f"include {relpath}: not followed: the includes of this file exceed "
                                          f"{MAX_INCLUDED_TOTAL_BYTES // (1024 * 1024)} MB together")
                        continue
                    self.loaded_bytes += len(data)
                    children = parse_text(data.decode("utf-8", "replace"), relpath)
                except (OSError, ValueError) as exc:
                    self.notes.append(f"include {relpath}: {exc}")
                    continue
                for child in children:
                    child.parent = directive.parent
                self.expand(children, depth + 1, seen + (relpath,))
                included.extend(children)
            directives[index + 1:index + 1] = included


def _has_magic(path: str) -> bool:
    return any(ch in path for ch in "*?[")


def load(text: str, path: str, root: Path | None, read: Reader | None = None) -> tuple[list[Directive], list[str]]:
    """Parse ``text`` (the file at ``path``), then follow its includes under ``root``; returns tree and notes.

    ``read(relpath, limit)`` reads another file of the tree (the engine passes ``FileContext.read_related``
    so that a cached result is dropped when an include changes); by default a confined read under ``root``.

    A fragment (``server`` blocks with no ``http`` around them, as in ``conf.d/``) is hung under the block
    of the ``nginx.conf`` that includes it, so settings it inherits from ``http`` count.
    """
    directives = parse_text(text, path)
    if root is None:
        return directives, []
    read = read or (lambda relpath, limit: read_confined(root, relpath, limit))
    resolver = IncludeResolver(root, path, read)
    resolver.expand(directives, 0, (path,))
    if _is_fragment(directives):
        attach_to_includer(directives, path, root, read)
    return directives, resolver.notes


def _is_fragment(directives: list[Directive]) -> bool:
    names = {d.name for d in directives}
    return "http" not in names and bool(names & {"server", "location", "upstream", "map"})


def attach_to_includer(directives: list[Directive], path: str, root: Path, read: Reader) -> str | None:
    """Set the parent of ``directives`` to the block that includes ``path`` in the nearest ``nginx.conf``.

    Only ``nginx.conf`` in the file's folder and its ancestors up to the root are tried: that is where a
    repository keeps the main configuration next to ``conf.d/`` or ``sites-enabled/``. Returns the including
    file's path, or None when no such file includes this one inside a block.
    """
    folder = posixpath.dirname(path)
    while True:
        candidate = posixpath.join(folder, "nginx.conf")
        if candidate != path and os.path.isfile(root / candidate):
            block = _including_block(root, candidate, path, read)
            if block is not None:
                for directive in directives:
                    directive.parent = block
                return candidate
        if not folder:
            return None
        folder = posixpath.dirname(folder)


def _including_block(root: Path, main: str, path: str, read: Reader) -> Directive | None:
    """The block of ``main`` (includes followed) whose ``include`` pulls in ``path``."""
    try:
        outer = parse_text(read(main, MAX_INCLUDE_BYTES).decode("utf-8", "replace"), main)
    except (OSError, ValueError):
        return None
    IncludeResolver(root, main, read).expand(outer, 0, (main,))
    stack = list(outer)
    while stack:
        directive = stack.pop()
        if directive.file == path and directive.parent is not None and directive.parent.file != path:
            return directive.parent
        stack.extend(directive.block or ())
    return None
