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
from bastion.prompt.text import match_triggers, normalize

THRESHOLD = 1.0


@dataclass(frozen=True)
class ThemeMatch:
    id: str
    title: str
    score: float
    evidence: tuple[str, ...]

    def to_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "score": self.score, "evidence": list(self.evidence)}


def detect_themes(task: str, *, normalized: str | None = None) -> list[ThemeMatch]:
    """The themes ``task`` touches, in the knowledge base's order (stable, deterministic)."""
    text = normalized if normalized is not None else normalize(task)
    tokens = Tokens.of(text)
    found = []
    for theme in load_knowledge().themes.values():
        score, evidence = match_triggers(text, theme.triggers)
        extra, shown = match_concepts(tokens, theme.concepts)
        score += extra
        evidence += [s for s in shown if s not in evidence]
        if score >= THRESHOLD:
            found.append(ThemeMatch(theme.id, theme.title, score, tuple(evidence)))
    return found


def detect_features(task: str, *, normalized: str | None = None) -> list[tuple[str, tuple[str, ...]]]:
    """The common features ``task`` builds (search, login, payments...), with the phrases that showed them."""
    text = normalized if normalized is not None else normalize(task)
    found = []
    for feature in load_knowledge().features.values():
        score, evidence = match_triggers(text, feature.triggers)
        if score >= THRESHOLD:
            found.append((feature.id, tuple(evidence)))
    return found


def with_implied_themes(themes: list[ThemeMatch], features: list[tuple[str, tuple[str, ...]]]) -> list[ThemeMatch]:
    """``themes`` plus those the features imply (a password reset is authentication, cryptography and rate
    limiting whatever words the request uses), each once, with the feature as its evidence."""
    knowledge = load_knowledge()
    present = {t.id for t in themes}
    result = list(themes)
    for feature_id, evidence in features:
        feature = knowledge.features[feature_id]
        for theme_id in feature.implies:
            if theme_id not in present:
                present.add(theme_id)
                theme = knowledge.themes[theme_id]
                result.append(ThemeMatch(theme.id, theme.title, THRESHOLD, (f"{feature.title.lower()}: {', '.join(evidence)}",)))
    return result
