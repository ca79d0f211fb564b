"""The contract between the engine runner and the engines.

An engine is a folder under ``bastion/`` with one class that subclasses
:class:`FileEngine` (it sees one file at a time: parallel and cached per
file) or :class:`WorkspaceEngine` (it sees the whole tree once: lockfiles
with their manifests, git history), plus one line in
:mod:`bastion.core.engines`. Engines import this module, the model, config and
workspace — never the CLI, reports or each other.
"""

from __future__ import annotations

import hashlib
import os
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from bastion.core.model import Finding, Note, Rule


@dataclass
class SourceFile:
    """A file of the workspace, read once, decoded once.

    ``path`` is relative to the scan root with forward slashes: the name every
    report uses. ``text`` never fails: bytes that are not UTF-8 decode as
    Latin-1, which maps every byte to one character and so keeps offsets.
    """

    path: str
    abspath: str
    language: str | None
    data: bytes
    encoding: str = "utf-8"
    _text: str | None = field(default=None, repr=False)
    _lines: list[str] | None = field(default=None, repr=False)

    @property
    def text(self) -> str:
        if self._text is None:
            self._text, self.encoding = decode_bytes(self.data)
        return self._text

    @property
    def lines(self) -> list[str]:
        """Lines without their ends, split where git, editors and tree-sitter split them: at ``\n`` (a
        ``\r`` before it belongs to the end), never at form feeds or U+2028 as ``str.splitlines`` would."""
        if self._lines is None:
            lines = self.text.split("\n")
            if lines[-1] == "":
                lines.pop()
            self._lines = [line[:-1] if line.endswith("\r") else line for line in lines]
        return self._lines

    def line(self, number: int) -> str:
        """Line ``number`` (1-based) without its newline, or '' past the end."""
        lines = self.lines
        return lines[number - 1] if 0 < number <= len(lines) else ""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def root(self) -> Path | None:
        """The scan root (the absolute path minus the relative one), None for a buffer from stdin."""
        if self.abspath != self.path and self.abspath.endswith("/" + self.path):
            return Path(self.abspath[: -len(self.path) - 1] or "/")
        return None


def usable_cpus() -> int:
    """The CPUs this process may run on (a container's or taskset's share), not every CPU of the machine."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode scanned bytes without ever raising: BOMs honoured, UTF-8 first, Latin-1 last."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


class FileContext:
    """What a file engine gets for one file: the file, its engine options, and the shared syntax tree.

    ``tree()`` parses the file with the frontend registered for its language
    the first time any engine asks, and hands every later caller the same
    tree: a file is parsed once per language however many checks read it.
    """

    def __init__(self, file: SourceFile, options: dict[str, Any], shared: dict[str, Any] | None = None,
                 summaries: dict[str, dict[str, Any]] | None = None):
        self.file = file
        self.options = options
        self._shared = shared if shared is not None else {}
        #: Other files' summaries by name (see :meth:`FileEngine.summarize`); empty in the per-file pass.
        self.summaries: dict[str, dict[str, Any]] = summaries or {}

    def tree(self, language: str | None = None) -> Any:
        from bastion.core import parsing

        lang = language or self.file.language
        key = ("tree", lang)
        if key not in self._shared:
            self._shared[key] = parsing.parse(lang, self.file.data)
        return self._shared[key]

    def read_related(self, relpath: str, limit: int) -> bytes:
        """Read another file of the scanned tree that this file's result depends on (an nginx include,
        the ``nginx.conf`` that includes a ``conf.d`` fragment).

        Confined to the scan root like every read. The file's digest is recorded with the result, and a
        cached result is used again only while every file it read is unchanged.
        """
        from bastion.host.files import read_confined

        root = self.file.root
        if root is None:
            raise PermissionError(f"{relpath}: no scan root to read it from")
        data = read_confined(root, relpath, limit)
        self._shared.setdefault("reads", {})[relpath] = hashlib.sha256(data).hexdigest()
        return data

    def memo(self, key: str, build: Any) -> Any:
        """Share any derived artefact (a semantic model, an IR) among the engines of this file.

        A key ending in ``.ir`` promises an artefact built from the file's bytes alone (not from options or
        other files' summaries): a process keeps it, with the syntax trees, for the next task on the same
        bytes (the project pass re-checking the file).
        """
        if key not in self._shared:
            self._shared[key] = build()
        return self._shared[key]


@dataclass
class WorkspaceContext:
    """What a workspace engine gets: the root, every discovered path, options, and safe reading."""

    root: Path
    paths: list[str]
    options: dict[str, Any]
    settings: dict[str, Any] = field(default_factory=dict)

    def read(self, relpath: str, limit: int = 64 * 1024 * 1024) -> bytes:
        """Read a file of the workspace; refuses paths that leave the root and anything not a regular file."""
        from bastion.host.files import read_confined

        return read_confined(self.root, relpath, limit)


class CannotCheck(Exception):
    """An engine could not do its job (no advisory database, say) and the user has not accepted that.

    Any other exception of an engine costs a note; this one stops the scan with its message (exit 2),
    because a check that could not run must never read as a pass.
    """


class Engine(ABC):
    """Common to both kinds: a name (the config section), and the rules it can report."""

    name: str = ""

    @abstractmethod
    def rules(self) -> list[Rule]:
        """Every rule this engine may report, with its documentation."""

    def cache_salt(self) -> str:
        """Extra material that invalidates cached results (a data file's digest, say)."""
        return ""


class FileEngine(Engine):
    """An engine that looks at one file at a time. Runs in worker processes; results are cached per file."""

    def prepare(self, options: dict[str, Any]) -> None:
        """Load what every file will need (a catalog, compiled patterns) once, in the main process.

        Called before workers start; they are forked and inherit it, instead
        of each loading it again. The default loads nothing.
        """

    @abstractmethod
    def wants(self, file: SourceFile) -> bool:
        """Whether this engine analyses ``file`` (by language, name, or content)."""

    @abstractmethod
    def check_file(self, ctx: FileContext) -> Iterable[Finding | Note]:
        """Yield the findings (and notes) for ``ctx.file``.

        When ``ctx.summaries`` is not empty, yield the file's complete findings
        for this engine knowing what the other files do (see :meth:`summarize`).
        """

    #: Takes part in cross-file analysis: the first pass only reads each file's imports (:meth:`imports`), then the
    #: project pass checks and summarizes every file once, bottom-up in import order (see :meth:`summarize`).
    cross_file: bool = False

    def imports(self, ctx: FileContext) -> dict[str, Any] | None:
        """A cross-file engine's cheap first step: what the file is called and what it imports, without analysing it.

        A JSON-able dict with ``"name"`` (what other files import it by),
        ``"imports"`` (the names it imports: every name :meth:`summarize` would
        list, more is allowed but makes the file wait for more) and
        ``"prefix"`` (how other files' summaries start the names of this
        file's functions, for the callbacks they register). Read from the
        syntax tree alone (a parse, no analysis); None when the file cannot
        take part (it is then checked alone).
        """
        return None

    def summarize(self, ctx: FileContext) -> dict[str, Any] | None:
        """What this file offers other files, for cross-file analysis; None when the engine has none.

        A JSON-able dict with ``"name"`` (what other files import it by),
        ``"imports"`` (the names it uses) and ``"provides"`` (False when it
        offers nothing another file's result could depend on), plus anything
        the engine needs. Summaries are cached with the file. For an engine
        that is :attr:`cross_file`, the first pass only reads each file's
        :meth:`imports`; then every file is checked and summarized in one task
        (share the analysis through ``ctx.memo``), bottom-up in import order:
        once the files it imports have their final summaries, with
        ``ctx.summaries`` set when one of them provides something (else alone,
        as without other files). An import cycle's files are checked alone
        first, then in rounds until no summary changes (four at most).
        """
        return None


class WorkspaceEngine(Engine):
    """An engine that looks at the workspace as a whole, once per scan, in the main process."""

    @abstractmethod
    def check_workspace(self, ctx: WorkspaceContext) -> Iterable[Finding | Note]:
        """Yield findings and notes for the workspace."""


def iter_rules(engines: Iterable[Engine]) -> Iterator[Rule]:
    for engine in engines:
        yield from engine.rules()
