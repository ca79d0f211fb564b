"""Pure-Python inference for the learned theme scorer that ``train_themes.py`` trains and cross-validates.

An experiment of issue 19's fifth round, measured and not adopted (``requests/RESULTS.md``): one binary
logistic regression per theme over a request's stemmed word unigrams and bigrams (the stemmer of
:mod:`bastion.prompt.lexicon`) plus each theme's rule score. Inference is a dot product and a sigmoid with
no numpy, the form it would take in the engine; :func:`combine` is how the model would meet the rules: it
adds a theme the rules do not reach only with a high probability, and drops a theme the rules raised on weak
signs only with a low one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bastion.prompt.catalog import load_knowledge
from bastion.prompt.harden import RequestSignals, applies
from bastion.prompt.lexicon import Tokens
from bastion.prompt.themes import THRESHOLD, ThemeMatch

#: Rule scores are fed to the model capped here, so a request stuffed with one theme's words is not extreme.
RULE_CAP = 3.0


def word_features(tokens: Tokens) -> list[str]:
    """The model's word features of a request: each distinct stem and each pair of adjacent stems."""
    stems = tokens.stems
    found = dict.fromkeys(stems)
    found.update(dict.fromkeys(f"{a} {b}" for a, b in zip(stems, stems[1:])))
    return list(found)


@dataclass(frozen=True)
class Policy:
    """When the model overrules the rules (chosen by grouped cross-validation, see the training script)."""

    #: A theme without enough rule signs is added when its probability reaches this.
    add_probability: float
    #: A theme the rules raised with a score under this counts as weakly shown ...
    weak_score: float
    #: ... and is dropped when its probability is under this.
    veto_probability: float


@dataclass(frozen=True)
class ThemeModel:
    themes: tuple[str, ...]
    intercepts: tuple[float, ...]
    #: Per theme, the weight of every theme's (capped) rule score, in ``themes`` order.
    rule_weights: tuple[tuple[float, ...], ...]
    #: Per word feature, (theme index, weight) pairs.
    word_weights: dict[str, tuple[tuple[int, float], ...]]
    policy: Policy

    def probabilities(self, tokens: Tokens, rule_scores: dict[str, float]) -> dict[str, float]:
        """Each theme's probability for a request, given its tokens and the rules' score per theme."""
        logits = list(self.intercepts)
        rules = [min(rule_scores.get(theme, 0.0), RULE_CAP) for theme in self.themes]
        for index, weights in enumerate(self.rule_weights):
            logits[index] += sum(w * r for w, r in zip(weights, rules) if r)
        for feature in word_features(tokens):
            for index, weight in self.word_weights.get(feature, ()):
                logits[index] += weight
        return {theme: _sigmoid(z) for theme, z in zip(self.themes, logits)}


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def model_from_dict(data: dict) -> ThemeModel:
    themes = tuple(data["themes"])
    policy = Policy(**data["policy"])
    words = {feature: tuple((int(i), float(w)) for i, w in pairs) for feature, pairs in data["words"].items()}
    return ThemeModel(themes, tuple(map(float, data["intercepts"])),
                      tuple(tuple(map(float, row)) for row in data["rules"]), words, policy)


def combine(rule_scores: dict[str, float], probabilities: dict[str, float], threshold: float,
            policy: Policy) -> dict[str, str]:
    """The themes to name, each with why the model changed the rules' verdict ("" when it did not).

    A theme the rules raise (score at ``threshold`` or more) stays unless its score is under
    ``policy.weak_score`` and the model gives it under ``policy.veto_probability``; a theme the rules do
    not raise is added at ``policy.add_probability`` or more."""
    chosen = {}
    for theme, probability in probabilities.items():
        score = rule_scores.get(theme, 0.0)
        if score >= threshold:
            if not (score < policy.weak_score and probability < policy.veto_probability):
                chosen[theme] = ""
        elif probability >= policy.add_probability:
            chosen[theme] = f"word model: {probability:.2f}"
    return chosen


def themes_with_model(signals: RequestSignals, probabilities: dict[str, float], policy: Policy) -> list[ThemeMatch]:
    """The themes a prompt would name with the model: :func:`combine`, then only those that apply to the stack
    (knowledge-base order), as the engine's ``select_themes`` does for the rules alone."""
    chosen = combine({m.id: m.score for m in signals.totals}, probabilities, THRESHOLD, policy)
    by_id = {m.id: m for m in signals.totals}
    themes = []
    for theme in load_knowledge().themes.values():
        if theme.id not in chosen:
            continue
        match = by_id.get(theme.id, ThemeMatch(theme.id, theme.title, 0.0, ()))
        if chosen[theme.id]:  # added by the model: ranked as a theme just shown, its probability as evidence
            match = ThemeMatch(theme.id, theme.title, max(match.score, THRESHOLD), (*match.evidence, chosen[theme.id]))
        if applies(match, signals.choice):
            themes.append(match)
    return themes
