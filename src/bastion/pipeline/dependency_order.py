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

from bastion.core.graphs import strongly_connected


@dataclass(frozen=True)
class Component:
    """Files that import each other, directly or through one another (one file alone when it is in no cycle)."""

    members: tuple[str, ...]
    cyclic: bool  # more than one file, or a file that imports itself


def components(graph: dict[str, list[str]]) -> list[Component]:
    """The strongly connected components of ``graph`` (file -> files it imports), dependencies first.

    Nodes and edges are visited in sorted order, so the result is the same on every run.
    """
    component_of = strongly_connected(sorted(graph), lambda node: sorted(graph.get(node, ())))
    members: dict[int, list[str]] = {}
    for node, component in component_of.items():  # in the order components complete: dependencies first
        members.setdefault(component, []).append(node)
    found = []
    for group in members.values():
        cyclic = len(group) > 1 or group[0] in graph.get(group[0], ())
        found.append(Component(tuple(sorted(group)), cyclic))
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
