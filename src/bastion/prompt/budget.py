"""Fitting a hardened prompt into a word budget, most relevant advice first.

An assistant given a long, partly irrelevant prompt follows it less, so every
line has to earn its place. Advice is ranked: the first requirement of every
theme before the second of any, themes in order of how strongly the request
implies them, the generic endpoint baseline last; one secure example in the
request's language (a framework's before a language's); one reference per
theme (a single word that leads to the whole explanation); then the "do not"
lines. What does not fit moves, as its first clause, to a compact "also
check" list, so it is named without its explanation.

The budget is 300 words for a one-theme task, 350 when it is a web endpoint
(which carries the endpoint baseline), and grows with the number of themes (a
request touching four areas needs more than one touching one) up to a cap, so
the longest prompts stay short enough to be followed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bastion.prompt.harden import Section

DEFAULT_BUDGET = 300
#: Words added to the budget for each theme after the first.
PER_EXTRA_THEME = 45
#: Words added for the endpoint baseline that every web task carries.
WEB_BONUS = 50
#: The budget never grows past this multiple of the one-theme budget.
CAP_FACTOR = 1.6
#: The share of the budget kept for the compact "also check" list.
ALSO_SHARE = 0.15
ALSO_MAX_WORDS = 14
#: At most this many lines in the "also check" list: past that a list is skimmed, not read.
ALSO_MAX_LINES = 5


def _specific(pattern) -> bool:
    """Whether an example is written for a framework or library rather than for a language in general."""
    from bastion.prompt.catalog import load_knowledge

    stack = load_knowledge().stacks.get(pattern.stack)
    return stack is not None and stack.kind != "language"


def words(text: str) -> int:
    return len(text.split())


def budget_for(theme_count: int, base: int = DEFAULT_BUDGET) -> int:
    """The word budget for a prompt with ``theme_count`` themes, from the one-theme budget ``base``."""
    grown = base + PER_EXTRA_THEME * max(0, theme_count - 1)
    return min(grown, int(base * CAP_FACTOR))


def short_form(requirement: str) -> str:
    """A requirement's first clause, at most fourteen words: enough to name it in the "also check" list."""
    head = requirement
    for stop in (": ", "; ", ". ", ", since "):
        index = head.find(stop)
        if index > 0:
            head = head[:index]
    tokens = head.rstrip(".,").split()
    if len(tokens) > ALSO_MAX_WORDS:
        head = " ".join(tokens[:ALSO_MAX_WORDS])
        opened = head.rfind(" (")
        if opened > 0 and ")" not in head[opened:]:
            head = head[:opened]  # never leave a parenthesis open
        return head + " ..."
    return " ".join(tokens)


@dataclass
class Fitted:
    """What survived the budget, per section, and the named-only leftovers."""

    requirements: dict[str, list[str]] = field(default_factory=dict)
    patterns: dict[str, list] = field(default_factory=dict)
    avoid: dict[str, list[str]] = field(default_factory=dict)
    references: dict[str, list[str]] = field(default_factory=dict)
    also_check: list[str] = field(default_factory=list)
    words: int = 0


def fit(sections: list["Section"], fixed_words: int, budget: int) -> Fitted:
    """Choose the parts of ``sections`` (already in priority order) that fit ``budget`` words.

    ``fixed_words`` is what the prompt carries whatever is chosen (the task, headings, checks).
    """
    fitted = Fitted(requirements={s.id: [] for s in sections}, patterns={s.id: [] for s in sections},
                    avoid={s.id: [] for s in sections}, references={s.id: [] for s in sections})
    main_budget = budget - int(budget * ALSO_SHARE)
    used = fixed_words
    candidates = []  # (rank, order, kind, section, item)
    for order, section in enumerate(sections):
        offset = section.rank_offset
        for index, requirement in enumerate(section.requirements):
            candidates.append((index + offset, order, "requirements", section, requirement))
        for number, pattern in enumerate(section.patterns):
            # an example per language of the request (both when it names none), right after the first
            # requirements: one written for the framework or library in use first, it is the most specific
            # (a framework's example before a language's: when the budget holds one, it is the one to show)
            start = 0.4 if _specific(pattern) else 0.5 + order + offset
            candidates.append((start + number / 10, order, "patterns", section, pattern))
        for line in section.avoid[:1]:
            candidates.append((2.5 + offset, order, "avoid", section, line))
        for reference in section.references[:1]:
            # a link costs a word and leads to the whole explanation, so it comes before the third requirement
            candidates.append((1.5 + offset, order, "references", section, reference))
    candidates.sort(key=lambda c: (c[0], c[1]))
    leftovers = []
    for _, _, kind, section, item in candidates:
        cost = words(item.code) + words(item.title) + 2 if kind == "patterns" else words(item) + 1
        if not fitted.requirements[section.id] and kind == "requirements":
            cost += words(section.title) + 2  # the section heading comes with its first line
        if used + cost <= main_budget:
            getattr(fitted, kind)[section.id].append(item)
            used += cost
        elif kind == "requirements":
            leftovers.append(short_form(item))
    also_used = 0
    for line in list(dict.fromkeys(leftovers))[:ALSO_MAX_LINES]:
        cost = words(line) + 1
        if used + also_used + cost > budget:
            break
        fitted.also_check.append(line)
        also_used += cost
    fitted.words = used + also_used
    return fitted
