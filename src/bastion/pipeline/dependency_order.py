"""The order in which files that import each other are analysed: strongly connected components, dependencies first.

A file's cross-file analysis needs the final summaries of the files it
imports, so those go first. Import cycles (``a`` imports ``b`` imports ``a``)
have no such order: their files form one component, solved together to a
fixed point. Each component lists the components its files import, so the
project pass can start one as soon as those have settled (a ready queue), not
when a whole level of the graph is done.
"""

from __future__ import annotations

from dataclasses import dataclass

from bastion.core.graphs import strongly_connected


@dataclass(frozen=True)
class Component:
    """Files that import each other, directly or through one another (one file alone when it is in no cycle)."""

    members: tuple[str, ...]
    cyclic: bool  # more than one file, or a file that imports itself
    imports: tuple[int, ...] = ()  # the components its files import (their index in the list), each before it


def components(graph: dict[str, list[str]]) -> list[Component]:
    """The strongly connected components of ``graph`` (file -> files it imports), dependencies first.

    Nodes and edges are visited in sorted order, so the result is the same on every run.
    """
    component_of = strongly_connected(sorted(graph), lambda node: sorted(graph.get(node, ())))
    members: dict[int, list[str]] = {}
    for node, component in component_of.items():  # in the order components complete: dependencies first
        members.setdefault(component, []).append(node)
    index_of: dict[str, int] = {}
    found = []
    for group in members.values():
        own = len(found)
        cyclic = len(group) > 1 or group[0] in graph.get(group[0], ())
        deps = {index_of[dep] for node in group for dep in graph.get(node, ()) if dep in index_of}
        for node in group:
            index_of[node] = own
        found.append(Component(tuple(sorted(group)), cyclic, tuple(sorted(deps))))
    return found
