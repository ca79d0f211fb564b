"""Recognising the security themes a coding request touches.

Each theme's triggers are phrases a reviewer would take as a sign of it
("upload", "by their id", "redirect to next"). A theme is reported when its
matched triggers weigh at least :data:`THRESHOLD`; the matched phrases are
kept as evidence so that a user can see why a theme was raised.
"""

from __future__ import annotations

from dataclasses import dataclass

from bastion.prompt.catalog import load_knowledge
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
    found = []
    for theme in load_knowledge().themes.values():
        score, evidence = match_triggers(text, theme.triggers)
        if score >= THRESHOLD:
            found.append(ThemeMatch(theme.id, theme.title, score, tuple(evidence)))
    return found
