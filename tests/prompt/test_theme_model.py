"""The learned theme scorer of benchmarks/prompt/ (measured, not adopted): its pure-Python inference matches
scikit-learn, retraining is reproducible, and the rules/model combination does what its policy says."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest

pytest.importorskip("sklearn")

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "prompt"
sys.path.insert(0, str(BENCH))

import train_themes  # noqa: E402
from theme_model import Policy, combine, model_from_dict, themes_with_model  # noqa: E402

from bastion.prompt.catalog import load_knowledge  # noqa: E402
from bastion.prompt.harden import request_signals, select_themes  # noqa: E402
from bastion.prompt.lexicon import Tokens  # noqa: E402

POLICY = Policy(0.9, 1.25, 0.2)


@pytest.fixture(scope="module")
def training():
    """A small real training run: the labelled requests of two development files."""
    rows = [row for name in ("holdout.yaml", "dev.yaml")
            for row in train_themes.load_development_file(BENCH / name)]
    signals = [request_signals(task) for _, task, _ in rows]
    return signals, [labels for _, _, labels in rows], list(load_knowledge().themes)


def test_inference_gives_the_training_librarys_probabilities(training):
    signals, labels, themes = training
    _, matrix, classifiers = train_themes.fit_classifiers(signals, labels, themes, 0.5, "balanced")
    model = model_from_dict(train_themes.train(signals, labels, themes, 0.5, "balanced", POLICY))
    for row in (0, 7, 21, len(signals) - 1):
        scores = {m.id: m.score for m in signals[row].totals}
        ours = model.probabilities(Tokens.of(signals[row].text), scores)
        for theme, classifier in zip(themes, classifiers):
            if not isinstance(classifier, int):  # a theme no training request has is a constant, not compared
                expected = classifier.predict_proba(matrix[row])[0][1]
                assert ours[theme] == pytest.approx(expected, abs=1e-3), (row, theme)
    # the features of an unseen request count too: a new phrasing still gets a probability per theme
    unseen = request_signals("let people upload their avatar picture")
    probabilities = model.probabilities(Tokens.of(unseen.text), {m.id: m.score for m in unseen.totals})
    assert set(probabilities) == set(themes) and all(0 < p < 1 for p in probabilities.values())


def test_retraining_reproduces_the_weights(training):
    signals, labels, themes = training

    def digest() -> str:
        model = train_themes.train(signals, labels, themes, 0.5, "balanced", POLICY)
        return hashlib.sha256(json.dumps(model, sort_keys=True).encode()).hexdigest()

    assert digest() == digest()


def test_the_model_adds_only_confident_themes_and_drops_only_weak_ones():
    scores = {"database": 0.5, "html-xss": 1.1, "authentication": 2.0}
    probabilities = {"database": 0.95, "html-xss": 0.1, "authentication": 0.1, "regex": 0.85}
    chosen = combine(scores, probabilities, 1.0, POLICY)
    # added at 0.95 (>= 0.9), not at 0.85; a weak rule theme at 0.1 dropped; a strong one kept whatever the model
    assert set(chosen) == {"database", "authentication"}
    assert chosen["database"].startswith("word model") and chosen["authentication"] == ""


def test_without_a_model_opinion_the_rules_decide():
    signals = request_signals("Flask endpoint that lets users upload a PDF and stores it by its id")
    neutral = {theme: 0.5 for theme in load_knowledge().themes}
    assert [m.id for m in themes_with_model(signals, neutral, POLICY)] == [m.id for m in select_themes(signals)]
