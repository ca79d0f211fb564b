"""What a lockfile or manifest says about one package, and the helpers every reader shares."""

from __future__ import annotations

import bisect
import json
from collections import deque
from dataclasses import dataclass, field, replace
from typing import Callable, Iterable


class ReaderError(ValueError):
    """A manifest or lockfile that cannot be read; the message says where and why."""


def load_json_object(path: str, text: str) -> dict:
    """A lockfile's JSON, which must be an object; anything else is a :class:`ReaderError` naming the file."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ReaderError(f"{path}: invalid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ReaderError(f"{path}: expected a JSON object")
    return data


#: Reads a workspace-relative path and returns its text (confined to the scan root).
Loader = Callable[[str], str]


@dataclass(frozen=True)
class Dependency:
    """One package as one file declares or pins it.

    ``version`` is the exact version when the file pins one, else None and
    ``spec`` holds what it says instead (a range, a URL). ``direct`` is True
    for what the project asks for itself, False for what those pull in,
    None when the file does not say. ``chain`` is the shortest path of names
    from a direct dependency down to this one (empty for direct ones); on a
    path longer than :data:`MAX_CHAIN` names only its first and last halves
    are kept and ``chain_elided`` counts the names left out between them.
    """

    ecosystem: str
    name: str
    version: str | None
    path: str
    line: int
    spec: str = ""
    direct: bool | None = None
    chain: tuple[str, ...] = ()
    chain_elided: int = 0
    dev: bool = False
    kind: str = "lockfile"  # "lockfile", "manifest", "url"
    hashes: tuple[str, ...] = field(default=(), compare=False)


#: Names kept of a longer dependency chain: the first and the last half (a 25,000-long chain copied into
#: every package of it took 2.5 GB).
MAX_CHAIN = 16


class Lines:
    """Line numbers of substrings of a text, by bisecting line starts.

    Readers look packages up in the order the file lists them, so each search
    starts where the last one matched and wraps around to the top only when
    the needle is not further on: a lockfile costs one pass, not one pass per
    package (a 12,000-package package-lock.json took 24 s). Searching stops
    once it has read the text :data:`_PASSES` times over; lookups then answer
    ``default`` (a line number is a courtesy; a hostile file must not make it
    quadratic).
    """

    _PASSES = 64

    def __init__(self, text: str):
        self.text = text
        self._starts = [0]
        pos = text.find("\n")
        while pos != -1:
            self._starts.append(pos + 1)
            pos = text.find("\n", pos + 1)
        self._cursor = 0
        self._budget = self._PASSES * (len(text) + 1024)

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self._starts, offset)

    def _search(self, needle: str, start: int | None = None) -> int:
        """Offset of ``needle`` from ``start`` (default: the cursor) on, else from the top; -1 when absent or
        the search budget is spent."""
        if self._budget <= 0:
            return -1
        begin = self._cursor if start is None else start
        offset = self.text.find(needle, begin)
        self._budget -= (offset if offset != -1 else len(self.text)) - begin + len(needle)
        if offset == -1 and begin and start is None:
            offset = self.text.find(needle, 0, begin + len(needle))
            self._budget -= offset if offset != -1 else begin
        if offset != -1 and start is None:
            self._cursor = offset
        return offset

    def find(self, *needles: str, default: int = 1) -> int:
        """The 1-based line of the first needle found (tried in order), else ``default``.

        A needle may start with a newline to anchor it at a line start; the
        line reported is then the one after that newline.
        """
        for needle in needles:
            offset = self._search(needle)
            if offset != -1:
                return self.line_of(offset + needle.startswith("\n"))
        return default

    def find_near(self, needle: str, follow: str, window: int = 400, default: int = 1) -> int:
        """The line of the first ``needle`` that ``follow`` appears within ``window`` characters after."""
        first = offset = self._search(needle)
        seen = 0
        while offset != -1 and seen < len(self.text):
            if follow in self.text[offset : offset + window]:
                self._cursor = offset
                return self.line_of(offset)
            following = self._search(needle, offset + 1)
            if following == -1 and offset >= first and first:
                following = self._search(needle, 0)  # wrap around once
            if following == -1 or following == first:
                break
            seen += abs(following - offset)
            offset = following
        return self.line_of(first) if first != -1 else default


def shortest_chains(roots: Iterable[str], edges: dict[str, Iterable[str]]) -> dict[str, tuple[tuple[str, ...], int]]:
    """Breadth-first from the direct dependencies: name -> (chain of names that pulls it in, names elided
    from its middle); roots map to ((), 0). A chain keeps at most :data:`MAX_CHAIN` names, so building all
    of them is linear in the graph whatever its depth."""
    half = MAX_CHAIN // 2
    chains: dict[str, tuple[tuple[str, ...], int]] = {}
    queue: deque[str] = deque()
    for root in roots:
        if root not in chains:
            chains[root] = ((), 0)
            queue.append(root)
    while queue:
        name = queue.popleft()
        chain, elided = chains[name]
        if len(chain) < MAX_CHAIN:
            longer, more = chain + (name,), elided
        else:  # keep the first half, slide the second, count what falls out between them
            longer, more = chain[:half] + chain[half + 1:] + (name,), elided + 1
        for child in edges.get(name, ()):
            if child not in chains:
                chains[child] = (longer, more)
                queue.append(child)
    return chains


def annotate(deps: list[Dependency], roots: Iterable[str], edges: dict[str, Iterable[str]]) -> list[Dependency]:
    """Set ``direct`` and ``chain`` from the dependency graph a lockfile records."""
    roots = list(roots)
    chains = shortest_chains(roots, edges)
    root_set = set(roots)
    out = []
    for dep in deps:
        if dep.name in root_set:
            out.append(replace(dep, direct=True, chain=()))
        elif dep.name in chains:
            chain, elided = chains[dep.name]
            out.append(replace(dep, direct=False, chain=chain, chain_elided=elided))
        else:
            out.append(replace(dep, direct=False if roots else None))
    return out
