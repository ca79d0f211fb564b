"""The order in which files that import each other are analysed: strongly connected components, bottom-up by level.

A file's cross-file analysis needs the final summaries of the files it
imports, so those go first. Import cycles (``a`` imports ``b`` imports ``a``)
have no such order: their files form one component, solved together to a
fixed point. Components are grouped in levels (a component's level is one
more than the highest level of what it imports), so every level is one batch
that workers can run in parallel.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Component:
    """Files that import each other, directly or through one another (one file alone when it is in no cycle)."""

    members: tuple[str, ...]
    cyclic: bool  # more than one file, or a file that imports itself


def components(graph: dict[str, list[str]]) -> list[Component]:
    """Tarjan's strongly connected components of ``graph`` (file -> files it imports), dependencies first.

    Iterative (a long import chain must not hit the interpreter's recursion
    limit); nodes and edges are visited in sorted order so the result is the
    same on every run.
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[Component] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, edges = work[-1]
            advanced = False
            for succ in edges:
                if succ not in index:
                    index[succ] = low[succ] = len(index)
                    stack.append(succ)
                    on_stack.add(succ)
                    work.append((succ, iter(sorted(graph.get(succ, ())))))
                    advanced = True
                    break
                if succ in on_stack:
                    low[node] = min(low[node], index[succ])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                members = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    members.append(member)
                    if member == node:
                        break
                cyclic = len(members) > 1 or node in graph.get(node, ())
                found.append(Component(tuple(sorted(members)), cyclic))
    return found


def levels(graph: dict[str, list[str]]) -> list[list[Component]]:
    """The components of ``graph`` in levels: each level imports only from earlier ones."""
    level_of: dict[str, int] = {}
    out: list[list[Component]] = []
    for component in components(graph):  # dependencies come first
        members = set(component.members)
        deps = {dep for member in component.members for dep in graph.get(member, ()) if dep not in members}
        level = 1 + max((level_of[dep] for dep in deps if dep in level_of), default=-1)
        for member in component.members:
            level_of[member] = level
        while len(out) <= level:
            out.append([])
        out[level].append(component)
    return out
