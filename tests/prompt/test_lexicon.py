"""Word-level recognition: stems, concepts (any / near / ordered), negation, and the frozen held-out set."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bastion.prompt import detect_themes
from bastion.prompt.catalog import KnowledgeError, _concepts, load_knowledge
from bastion.prompt.lexicon import Tokens, compile_concept, fold, match_concepts, stem
from bastion.prompt.text import normalize

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "prompt"
#: holdout2.yaml as committed before the detector was changed; a label edited after seeing results fails here.
HOLDOUT2_SHA256 = "a0074b44c0331cb0b35cf52b877bac9e9cb120dae3f54492d2f45c0af6a452f2"


def _ids(task: str) -> set[str]:
    return {m.id for m in detect_themes(task)}


@pytest.mark.parametrize("forms", [
    ("own", "owns", "owned", "owning"),
    ("write", "writes", "wrote", "written", "writing"),
    ("save", "saves", "saved", "saving"),
    ("query", "queries", "queried"),
    ("run", "runs", "running", "ran"),
    ("log", "logs", "logged", "logging"),
])
def test_every_form_of_a_word_has_one_stem(forms):
    assert len({stem(f) for f in forms}) == 1


def test_accents_fold_so_either_spelling_matches():
    assert fold("Résumé") == "resume"
    assert "file-upload" in _ids("Applicants attach a résumé to the form")


def test_near_needs_every_group_within_the_window():
    concept = compile_concept("t", {"near": [["caller", "requester"], ["own"]], "window": 3})
    assert match_concepts(Tokens.of("delete it if the caller owns it"), (concept,)) == (1.0, ["caller owns"])
    assert match_concepts(Tokens.of("the caller may later, after a long review, own it"), (concept,))[0] == 0
    assert match_concepts(Tokens.of("owned by the requester"), (concept,))[0] == 1


def test_ordered_near_reads_verb_then_object():
    concept = compile_concept("t", {"near": [["serve"], ["file"]], "window": 3, "ordered": True})
    assert match_concepts(Tokens.of("serve the files"), (concept,))[0] == 1
    assert match_concepts(Tokens.of("a file server"), (concept,))[0] == 0


def test_groups_never_match_the_same_words():
    concept = compile_concept("t", {"near": [["land"], ["landing page"]], "window": 3})
    assert match_concepts(Tokens.of("a static landing page"), (concept,))[0] == 0


@pytest.mark.parametrize("entry", [
    {"any": []}, {"near": [["a"]]}, {"any": ["a"], "near": [["a"], ["b"]]}, {"any": ["!!"]},
    {"any": ["a"], "window": 0}, {"any": ["a"], "weight": -1}, {"any": ["a"], "ordered": "yes"}, {"any": ["a"], "typo": 1},
    "words",
])
def test_malformed_concepts_are_knowledge_errors(entry):
    with pytest.raises(KnowledgeError):
        _concepts("themes/x.yaml", [entry])


def test_every_theme_has_concepts():
    assert all(theme.concepts for theme in load_knowledge().themes.values())


@pytest.mark.parametrize(("task", "theme"), [
    ("Remove a comment only if the requester wrote it", "authorization"),
    ("Customers must never see invoices of another customer", "authorization"),
    ("Log a support agent in as the customer they are helping, on behalf of them", "sessions-tokens"),
    ("Kick off the cleanup script when the admin clicks the button", "shell-commands"),
    ("Send shoppers back to where they came from once checkout is done", "redirects"),
    ("Give every password reset link a code nobody could guess, single use", "cryptography"),
    ("Strip e-mail addresses out of the chat transcript text", "regex"),
    ("Make the Mapbox key unusable from other websites", "secrets-config"),
    ("Stop bots from guessing PIN codes with repeated attempts", "rate-limiting"),
])
def test_themes_implied_without_their_usual_words(task, theme):
    assert theme in _ids(task)


@pytest.mark.parametrize(("task", "theme"), [
    ("A static marketing page, no database", "database"),
    ("An internal tool; authentication is not required", "authentication"),
    ("Implement binary search over a sorted array", "shell-commands"),
    ("Sort a list of integers in place", "database"),
])
def test_absent_or_look_alike_words_raise_nothing(task, theme):
    assert theme not in _ids(task)


def test_quantifiers_and_missing_safeguards_are_not_negations():
    assert "unmore" not in normalize("no more than 5 attempts")
    assert "authorization" in _ids("No one except the owner may delete it")
    assert "rate-limiting" in _ids("The upload endpoint has no size limit yet")
    assert "authorization" in _ids("The admin API currently has no permission checks")


def test_second_holdout_is_frozen_and_large_enough():
    path = BENCH / "holdout2.yaml"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == HOLDOUT2_SHA256
    tasks = yaml.safe_load(path.read_text("utf-8"))
    known = set(load_knowledge().themes)
    assert len(tasks) >= 60 and sum(1 for _, labels in tasks if not labels) >= 10
    assert all(set(labels) <= known for _, labels in tasks)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=2000))
def test_tokens_and_concepts_never_crash(text):
    tokens = Tokens.of(normalize(text))
    for theme in load_knowledge().themes.values():
        score, evidence = match_concepts(tokens, theme.concepts)
        assert score >= 0 and all(isinstance(e, str) for e in evidence)
