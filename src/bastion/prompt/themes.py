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
