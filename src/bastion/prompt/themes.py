"""Recognising the security themes a coding request touches.

Each theme has two kinds of signs: triggers, phrases a reviewer would take as
a sign of it ("upload", "by their id", "redirect to next"), and concepts,
stemmed words that imply it together ("caller" near "owns"; see
:mod:`bastion.prompt.lexicon`). A theme is reported when the signs found
weigh at least :data:`THRESHOLD`, so a concept of weight 0.5 needs a second
sign; the matched phrases are kept as evidence so that a user can see why a
theme was raised.
"""

from __future__ import annotations

from dataclasses import dataclass

from bastion.prompt.catalog import load_knowledge
from bastion.prompt.lexicon import Tokens, match_concepts
from bastion.prompt.text import match_feature_triggers, match_triggers, normalize

THRESHOLD = 1.0
#: How strongly a feature named only as the place of the task ("in our login") implies its themes.
CONTEXT_FACTOR = 0.5


@dataclass(frozen=True)
class FeatureMatch:
    """A common feature found in a task: built by it, or named as where it happens (``context``)."""

    id: str
    evidence: tuple[str, ...]
    context: bool = False

    @property
    def strength(self) -> float:
        return CONTEXT_FACTOR if self.context else 1.0


@dataclass(frozen=True)
class ThemeMatch:
    id: str
    title: str
    score: float
    evidence: tuple[str, ...]

    def to_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "score": self.score, "evidence": list(self.evidence)}


def theme_scores(task: str, *, normalized: str | None = None) -> list[ThemeMatch]:
    """Every theme with some sign in ``task``, however weak, in the knowledge base's order."""
    text = normalized if normalized is not None else normalize(task)
    tokens = Tokens.of(text)
    found = []
    for theme in load_knowledge().themes.values():
        score, evidence = match_triggers(text, theme.triggers)
        extra, shown = match_concepts(tokens, theme.concepts)
        score += extra
        evidence += [s for s in shown if s not in evidence]
        if score > 0:
            found.append(ThemeMatch(theme.id, theme.title, score, tuple(evidence)))
    return found


def detect_themes(task: str, *, normalized: str | None = None) -> list[ThemeMatch]:
    """The themes ``task`` touches, in the knowledge base's order (stable, deterministic)."""
    return [m for m in theme_scores(task, normalized=normalized) if m.score >= THRESHOLD]


def detect_features(task: str, *, normalized: str | None = None) -> list[FeatureMatch]:
    """The common features ``task`` builds (search, login, payments...), with the phrases that showed them.

    Negative triggers are counter-evidence: "after login" or "the search term shown back" mention a feature
    the task does not build. A feature named only as the place of the task ("in our login") is kept, marked
    as context: its requirements still apply to what is changed there, its themes are implied half as strongly.
    """
    text = normalized if normalized is not None else normalize(task)
    found = []
    for feature in load_knowledge().features.values():
        score, evidence, context = match_feature_triggers(text, feature.triggers)
        if score >= THRESHOLD:
            found.append(FeatureMatch(feature.id, tuple(evidence), context))
    return found


#: How much the signs of a request that changes no behaviour count ("rename the db module", "dark mode for the
#: admin dashboard"): half, so only a strong sign keeps a theme.
BEHAVIOUR_NEUTRAL_FACTOR = 0.5


def changes_no_behaviour(text: str) -> bool:
    """Whether the (normalized) request restyles, renames, types, tests or speeds up code rather than changing
    what it does with data (``knowledge/intent.yaml``)."""
    return match_triggers(text, load_knowledge().behaviour_neutral)[0] > 0


def with_implied_themes(scores: list[ThemeMatch], features: list[FeatureMatch], factor: float = 1.0) -> list[ThemeMatch]:
    """The themes that reach :data:`THRESHOLD` once the features' implications are added to the request's own
    signs (a password reset is authentication, cryptography and rate limiting whatever words the request
    uses); a weaker implication needs a sign of the theme in the request too. Every total is multiplied by
    ``factor`` first (:data:`BEHAVIOUR_NEUTRAL_FACTOR` for a request that changes no behaviour).
    Knowledge-base order."""
    return [m for m in implied_totals(scores, features, factor) if m.score >= THRESHOLD]


def implied_totals(scores: list[ThemeMatch], features: list[FeatureMatch], factor: float = 1.0) -> list[ThemeMatch]:
    """Every theme with a sign in the request or implied by a feature, with its total score (however weak)
    multiplied by ``factor``: what :func:`with_implied_themes` thresholds. Knowledge-base order."""
    knowledge = load_knowledge()
    totals = {m.id: [m.score, list(m.evidence)] for m in scores}
    for match in features:
        feature = knowledge.features[match.id]
        for theme_id, weight in feature.implies:
            total = totals.setdefault(theme_id, [0.0, []])
            total[0] += weight * match.strength
            total[1].append(f"{feature.title.lower()}: {', '.join(match.evidence)}")
    return [ThemeMatch(theme.id, theme.title, totals[theme.id][0] * factor, tuple(totals[theme.id][1]))
            for theme in knowledge.themes.values() if theme.id in totals]
