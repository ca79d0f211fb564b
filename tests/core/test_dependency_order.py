"""Bottom-up order of the project pass: strongly connected components in levels, each level importing only earlier ones."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bastion.pipeline.dependency_order import Component, components, levels


def test_a_chain_and_a_cycle():
    graph = {"views": ["service"], "service": ["db", "models"], "models": ["service"], "db": [], "alone": ["alone"]}
    assert levels(graph) == [
        [Component(("alone",), True), Component(("db",), False)],
        [Component(("models", "service"), True)],
        [Component(("views",), False)],
    ]


def test_a_long_chain_does_not_recurse():
    graph = {f"m{n}": [f"m{n - 1}"] if n else [] for n in range(5000)}
    assert [c.members for c in components(graph)][:2] == [("m0",), ("m1",)]
    assert len(levels(graph)) == 5000


graphs = st.dictionaries(st.sampled_from("abcdefgh"), st.lists(st.sampled_from("abcdefgh"), max_size=4), max_size=8).map(
    lambda g: {node: [d for d in deps if d in g] for node, deps in g.items()})


@settings(max_examples=200, deadline=None)
@given(graphs)
def test_every_file_once_and_dependencies_in_earlier_levels_or_the_same_component(graph):
    found = levels(graph)
    level_of = {m: i for i, level in enumerate(found) for c in level for m in c.members}
    component_of = {m: c for level in found for c in level for m in c.members}
    assert sorted(level_of) == sorted(graph)
    for node, deps in graph.items():
        for dep in deps:
            assert level_of[dep] < level_of[node] or component_of[dep] is component_of[node]
    for component in component_of.values():
        cyclic = len(component.members) > 1 or component.members[0] in graph[component.members[0]]
        assert component.cyclic == cyclic
