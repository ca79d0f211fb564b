"""Bottom-up order of the project pass: strongly connected components, each importing only components before it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bastion.pipeline.dependency_order import Component, components


def test_a_chain_and_a_cycle():
    graph = {"views": ["service"], "service": ["db", "models"], "models": ["service"], "db": [], "alone": ["alone"]}
    assert components(graph) == [
        Component(("alone",), True),
        Component(("db",), False),
        Component(("models", "service"), True, (1,)),
        Component(("views",), False, (2,)),
    ]


def test_a_long_chain_does_not_recurse():
    graph = {f"m{n}": [f"m{n - 1}"] if n else [] for n in range(5000)}
    found = components(graph)
    assert [c.members for c in found][:2] == [("m0",), ("m1",)]
    assert found[4999].imports == (4998,)


graphs = st.dictionaries(st.sampled_from("abcdefgh"), st.lists(st.sampled_from("abcdefgh"), max_size=4), max_size=8).map(
    lambda g: {node: [d for d in deps if d in g] for node, deps in g.items()})


@settings(max_examples=200, deadline=None)
@given(graphs)
def test_every_file_once_and_dependencies_earlier_or_in_the_same_component(graph):
    found = components(graph)
    index_of = {m: i for i, c in enumerate(found) for m in c.members}
    assert sorted(index_of) == sorted(graph)
    for node, deps in graph.items():
        for dep in deps:
            assert index_of[dep] < index_of[node] or index_of[dep] == index_of[node]
            if index_of[dep] != index_of[node]:
                assert index_of[dep] in found[index_of[node]].imports
    for i, component in enumerate(found):
        cyclic = len(component.members) > 1 or component.members[0] in graph[component.members[0]]
        assert component.cyclic == cyclic
        assert all(dep < i for dep in component.imports)
        assert set(component.imports) == {index_of[d] for m in component.members for d in graph[m]} - {i}
