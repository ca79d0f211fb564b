"""Word-level theme recognition: stems, concept lexicons and co-occurrence.

Regex triggers catch a theme's usual words ("upload", "redirect"). Requests
often imply a theme instead by what the code must do: "delete a document if
the caller owns it" is access control without any access-control word. A
*concept* states such a sign over stems rather than spellings, so one entry
covers "owns", "owned" and "owning":

- ``any``: one of these words or phrases ("impersonate", "on behalf of");
- ``near``: one word or phrase from *each* group, all within ``window``
  words of the first group's match ("caller" ... "owns"; "keep" ...
  "logged in"), which is what separates "the user's own posts" from
  "posts" alone. With ``ordered: true`` the other groups must follow the
  first (a verb and then its object: "serve files", not "file server").

Entries are written as plain words in the knowledge files and stemmed when
loaded, with the same stemmer as the task, so both sides agree on every form
without listing them. Tokenizing is one linear-time pass; matching is
dictionary look-ups from each cue's first word.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Any

# One character class repeated: no alternation or nesting to backtrack into, so Python's engine runs it in
# linear time, and several times faster per call than RE2's wrapper (this runs once per cue at load).
_WORD = re.compile(r"[a-z0-9]+")

#: Irregular forms that suffix stripping cannot reach, mapped to their base word.
_IRREGULAR = {
    "wrote": "write", "written": "write", "ran": "run", "sent": "send", "took": "take", "taken": "take",
    "gave": "give", "given": "give", "made": "make", "kept": "keep", "chose": "choose", "chosen": "choose",
    "built": "build", "paid": "pay", "stole": "steal", "stolen": "steal", "got": "get", "gotten": "get",
    "left": "leave", "forgot": "forget", "forgotten": "forget", "did": "do", "done": "do", "does": "do",
    "saw": "see", "seen": "see", "shown": "show", "went": "go", "gone": "go", "sold": "sell", "told": "tell",
    "found": "find", "held": "hold", "brought": "bring", "thought": "think", "began": "begin", "begun": "begin",
    "hid": "hide", "hidden": "hide", "fed": "feed", "led": "lead", "spoke": "speak", "spoken": "speak",
    "children": "child", "people": "person", "data": "data", "media": "media", "was": "be", "were": "be",
    "is": "be", "are": "be", "been": "be", "has": "have", "had": "have", "its": "it", "their": "they",
    "them": "they", "theirs": "they", "themselves": "they", "his": "he", "him": "he", "her": "she",
}
_KEEP_DOUBLE = frozenset("lsz")
_VOWELS = frozenset("aeiouy")


def fold(text: str) -> str:
    """Lower-case ``text`` without accents ("résumé" -> "resume"), so either spelling matches."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def stem(word: str) -> str:
    """A light English stemmer: irregular forms, then plural, -ing/-ed and a final -e removed.

    It only has to map the forms of one word to one key (``owns``, ``owned``,
    ``owning`` -> ``own``; ``saves``, ``saving``, ``save`` -> ``sav``), not to
    produce a dictionary word, because cues are stemmed the same way.
    """
    word = _IRREGULAR.get(word, word)
    if len(word) <= 3:
        return word
    if word.endswith("ies"):
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if word.endswith("ied") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("ing") and len(word) >= 6 and _VOWELS & set(word[:-3]):
        word = _undouble(word[:-3])
    elif word.endswith("ed") and len(word) >= 5 and _VOWELS & set(word[:-2]):
        word = _undouble(word[:-2])
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


def _undouble(word: str) -> str:
    if len(word) > 2 and word[-1] == word[-2] and word[-1] not in _VOWELS and word[-1] not in _KEEP_DOUBLE:
        return word[:-1]
    return word


#: A word or phrase of a concept, as stems.
Phrase = tuple[str, ...]


@dataclass(frozen=True)
class Tokens:
    """A task as stems with their original words, and where each stem occurs."""

    stems: tuple[str, ...]
    words: tuple[str, ...]
    positions: dict[str, tuple[int, ...]]

    @classmethod
    def of(cls, text: str) -> "Tokens":
        words = tuple(_WORD.findall(fold(text)))
        stems = tuple(stem(w) for w in words)
        positions: dict[str, list[int]] = {}
        for index, key in enumerate(stems):
            positions.setdefault(key, []).append(index)
        return cls(stems, words, {k: tuple(v) for k, v in positions.items()})

    def find(self, phrase: Phrase, low: int = 0, high: int | None = None) -> list[int]:
        """Start positions of ``phrase``, only those from ``low`` to ``high`` when given.

        Positions are sorted, so a window is two binary searches: a long task
        full of one cue costs each look-up the window, not the whole task.
        """
        starts = self.positions.get(phrase[0], ())
        if low or high is not None:
            starts = starts[bisect_left(starts, low):bisect_right(starts, len(self.stems) if high is None else high)]
        if len(phrase) == 1:
            return list(starts)
        return [i for i in starts if self.stems[i:i + len(phrase)] == phrase]


@dataclass(frozen=True)
class Concept:
    """One sign of a theme over stems: any phrase of a single group, or one of each group close together."""

    groups: tuple[tuple[Phrase, ...], ...]
    window: int
    weight: float
    ordered: bool = False

    def match(self, tokens: Tokens) -> str | None:
        """The words that show this concept in ``tokens`` (for evidence), or None."""
        present = [tuple(p for p in group if p[0] in tokens.positions) for group in self.groups]
        if not all(present):
            return None
        first, *rest = present
        for phrase in first:
            for start in tokens.find(phrase):
                spans = [(start, start + len(phrase))]
                for group in rest:
                    span = _nearest(tokens, group, (start, start + len(phrase)), self.window, self.ordered)
                    if span is None:
                        break
                    spans.append(span)
                else:
                    low, high = min(s for s, _ in spans), max(e for _, e in spans)
                    return " ".join(tokens.words[low:high])
        return None


def _nearest(tokens: Tokens, group: tuple[Phrase, ...], anchor: tuple[int, int], window: int,
             ordered: bool) -> tuple[int, int] | None:
    """The closest occurrence of ``group`` within ``window`` words of the ``anchor`` span, not overlapping it
    (and after it when ``ordered``)."""
    best = None
    for phrase in group:
        for start in tokens.find(phrase, max(0, anchor[0] - window), anchor[0] + window):
            end = start + len(phrase)
            if (ordered or end > anchor[0]) and start < anchor[1]:
                continue
            distance = abs(start - anchor[0])
            if distance <= window and (best is None or distance < best[0]):
                best = (distance, start, start + len(phrase))
    return None if best is None else (best[1], best[2])


def _phrases(where: str, words: Any) -> tuple[Phrase, ...]:
    if not isinstance(words, list) or not words or not all(isinstance(w, str) and w.strip() for w in words):
        raise ValueError(f"{where}: a concept group must be a non-empty list of words or phrases")
    phrases = []
    for text in words:
        phrase = tuple(stem(w) for w in _WORD.findall(fold(text)))
        if not phrase:
            raise ValueError(f"{where}: {text!r} has no word in it")
        phrases.append(phrase)
    return tuple(phrases)


def compile_concept(where: str, entry: Any) -> Concept:
    """A concept from its knowledge-file form: ``{any: [...]}`` or ``{near: [[...], [...]], window: N}``."""
    if not isinstance(entry, dict) or ("any" in entry) == ("near" in entry):
        raise ValueError(f"{where}: a concept needs exactly one of 'any' or 'near'")
    if "any" in entry:
        groups = (_phrases(where, entry["any"]),)
    else:
        raw = entry["near"]
        if not isinstance(raw, list) or len(raw) < 2:
            raise ValueError(f"{where}: 'near' needs two or more groups of words")
        groups = tuple(_phrases(where, group) for group in raw)
    window = entry.get("window", 4)
    weight = entry.get("weight", 1)
    ordered = entry.get("ordered", False)
    unknown = set(entry) - {"any", "near", "window", "weight", "ordered"}
    if unknown:
        raise ValueError(f"{where}: unknown concept keys {sorted(unknown)}")
    if not isinstance(ordered, bool):
        raise ValueError(f"{where}: 'ordered' must be true or false")
    if not isinstance(window, int) or isinstance(window, bool) or not 1 <= window <= 30:
        raise ValueError(f"{where}: 'window' must be an integer from 1 to 30")
    if not isinstance(weight, (int, float)) or isinstance(weight, bool) or weight <= 0:
        raise ValueError(f"{where}: 'weight' must be a positive number")
    return Concept(groups, window, float(weight), ordered)


def match_concepts(tokens: Tokens, concepts: tuple[Concept, ...]) -> tuple[float, list[str]]:
    """The summed weight of the concepts found in ``tokens`` and the words that showed them."""
    score = 0.0
    evidence: list[str] = []
    for concept in concepts:
        shown = concept.match(tokens)
        if shown is not None:
            score += concept.weight
            if shown not in evidence:
                evidence.append(shown)
    return score, evidence
