"""What a lockfile or manifest says about one package, and the helpers every reader shares."""

from __future__ import annotations

import bisect
from collections import deque
from dataclasses import dataclass, field, replace
from typing import Callable, Iterable


class ReaderError(ValueError):
    """A manifest or lockfile that cannot be read; the message says where and why."""


#: Reads a workspace-relative path and returns its text (confined to the scan root).
Loader = Callable[[str], str]


@dataclass(frozen=True)
class Dependency:
    """One package as one file declares or pins it.

    ``version`` is the exact version when the file pins one, else None and
    ``spec`` holds what it says instead (a range, a URL). ``direct`` is True
    for what the project asks for itself, False for what those pull in,
    None when the file does not say. ``chain`` is the shortest path of names
    from a direct dependency down to this one (empty for direct ones).
    """

    ecosystem: str
    name: str
    version: str | None
    path: str
    line: int
    spec: str = ""
    direct: bool | None = None
    chain: tuple[str, ...] = ()
    dev: bool = False
    kind: str = "lockfile"  # "lockfile", "manifest", "url"
    hashes: tuple[str, ...] = field(default=(), compare=False)


class Lines:
    """Line numbers of substrings of a text, by bisecting line starts."""

    def __init__(self, text: str):
        self.text = text
        self._starts = [0]
        pos = text.find("\n")
        while pos != -1:
            self._starts.append(pos + 1)
            pos = text.find("\n", pos + 1)

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self._starts, offset)

    def find(self, *needles: str, default: int = 1) -> int:
        """The 1-based line of the first needle found (tried in order), else ``default``.

        A needle may start with a newline to anchor it at a line start; the
        line reported is then the one after that newline.
        """
        for needle in needles:
            offset = self.text.find(needle)
            if offset != -1:
                return self.line_of(offset + needle.startswith("\n"))
        return default

    def find_near(self, needle: str, follow: str, window: int = 400, default: int = 1) -> int:
        """The line of the first ``needle`` that ``follow`` appears within ``window`` characters after."""
        offset = self.text.find(needle)
        first = offset
        while offset != -1:
            if follow in self.text[offset : offset + window]:
                return self.line_of(offset)
            offset = self.text.find(needle, offset + 1)
        return self.line_of(first) if first != -1 else default


def shortest_chains(roots: Iterable[str], edges: dict[str, Iterable[str]]) -> dict[str, tuple[str, ...]]:
    """Breadth-first from the direct dependencies: name -> chain of names that pulls it in (roots map to ())."""
    chains: dict[str, tuple[str, ...]] = {}
    queue: deque[str] = deque()
    for root in roots:
        if root not in chains:
            chains[root] = ()
            queue.append(root)
    while queue:
        name = queue.popleft()
        for child in edges.get(name, ()):
            if child not in chains:
                chains[child] = chains[name] + (name,)
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
            out.append(replace(dep, direct=False, chain=chains[dep.name]))
        else:
            out.append(replace(dep, direct=False if roots else None))
    return out
