"""Graph algorithms several parts need: strongly connected components.

Used by the project pass (files that import each other, :mod:`bastion.pipeline.dependency_order`)
and the ReDoS analysis (automaton states, :mod:`bastion.sast.redos`). Iterative,
so a long chain never hits the interpreter's recursion limit.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable


class GraphTooLarge(Exception):
    """More nodes were reached than the caller's ``limit`` allows."""


def strongly_connected(roots: Iterable[Hashable], succ: Callable[[Hashable], Iterable[Hashable]],
                       limit: int | None = None) -> dict:
    """Tarjan's strongly connected components of the nodes reachable from ``roots``, as node -> component id.

    Ids are the index of the component's root; components complete in reverse
    topological order (a component's successors complete before it), which
    is the order of first appearance among the ids' completion. ``limit``:
    raise :class:`GraphTooLarge` after visiting that many nodes.
    """
    index: dict = {}
    low: dict = {}
    component: dict = {}
    stack: list = []
    on_stack: set = set()
    counter = 0
    for root in roots:
        if root in index:
            continue
        work = [(root, iter(succ(root)))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    if limit is not None and counter > limit:
                        raise GraphTooLarge
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(succ(child))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component[member] = index[node]
                    if member == node:
                        break
    return component
