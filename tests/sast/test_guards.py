"""What failed checks prove (sast/guards.py) and how merged objects keep their entries (sast/containers.py)."""

from __future__ import annotations

import pytest

from bastion.sast import containers, guards
from bastion.sast.models import load_models
from bastion.sast.taint import Label, Value

MODELS = load_models("python")
USER = Label("remote", "request.args", ())


@pytest.mark.parametrize(("pattern", "cleared"), [
    (r"[;&|`$\n]", {"command-injection"}),
    (r"[;&|`$<>\n\\]+", {"command-injection"}),
    (r"[;&|]", set()),  # $(...) and backquotes still run
    ("'", {"sql-injection"}),
    (r"['\"]", {"sql-injection"}),
    ("<", {"xss"}),
    (r"\.\.", set()),  # not one character class: proves nothing about single characters
    (r"[^A-Za-z0-9_-]", {"*"}),
])  # fmt: skip
def test_a_failed_search_clears_what_the_absence_of_its_class_defends(pattern, cleared):
    assert cleared <= set(guards.clears_when_absent(guards.absent_chars(pattern), MODELS))
    if not cleared:
        assert not guards.clears_when_absent(guards.absent_chars(pattern), MODELS)


def test_a_negated_class_with_a_dot_clears_all_but_paths():
    cleared = guards.clears_when_absent(guards.absent_chars(r"[^\w.-]"), MODELS)
    assert "command-injection" in cleared and "sql-injection" in cleared and "path-traversal" not in cleared


def test_a_full_match_clears_by_the_characters_it_cannot_consume():
    assert "command-injection" in guards.clears_of_match(r"^[\w./-]+$", True, MODELS)
    assert "path-traversal" not in guards.clears_of_match(r"^[\w./-]+$", True, MODELS)
    assert guards.clears_of_match(r"^[\w-]+\.png$", True, MODELS) >= {"*"}
    assert not guards.clears_of_match(r"^[\w./-]+", False, MODELS)


def test_later_sources_win_when_objects_are_merged():
    body = Value(labels=frozenset({USER}))
    command = Value(const="npm run build")
    after = containers.merge([body, containers.entry(Value(const="command"), command)])
    before = containers.merge([containers.entry(Value(const="command"), command), body])
    assert after.item("command") == command and after.labels  # the body's other keys stay tainted
    assert before.item("command") is None  # the body may hold its own command


def test_a_keyed_store_replaces_one_entry_and_an_unknown_key_forgets_all():
    table = containers.store(Value(), Value(const="table"), Value(const="sales"))
    table = containers.store(table, Value(const="by"), Value(labels=frozenset({USER})))
    assert table.item("table") == Value(const="sales") and table.item("by").labels
    assert containers.store(table, Value(labels=frozenset({USER})), Value(const=1)).items is None
