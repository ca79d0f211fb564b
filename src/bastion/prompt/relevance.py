"""Ordering a theme's requirements by what the task itself names.

A theme's requirements are written most general first, and the word budget keeps the first ones. A task that
names the very thing a later requirement is about ("math/rand" for the CSPRNG rule, "syslog(LOG_INFO, msg)"
for the format-string rule) must see that requirement among the first, not in the "also check" list. Only
words rare in the knowledge base count (named by at most :data:`RARE_IN` requirements), so a task's "user",
"input" or "request" reorders nothing; requirements sharing no rare word keep their written order.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

from bastion.prompt.catalog import load_knowledge
from bastion.prompt.lexicon import Tokens

#: A word shared by a task and a requirement ranks that requirement first only if at most this many
#: requirements of the whole knowledge base use it.
RARE_IN = 3
_SHORTEST = 3


@lru_cache(maxsize=1)
def _requirement_frequency() -> Counter:
    """In how many requirement texts (themes, features, the endpoint baseline, both forms) each stem occurs."""
    knowledge = load_knowledge()
    sources = [*knowledge.themes.values(), *knowledge.features.values(), knowledge.baseline]
    texts = {text for source in sources for text in (*source.requirements, *source.neutral_requirements)}
    frequency: Counter = Counter()
    for text in texts:
        frequency.update(set(Tokens.of(text).stems))
    return frequency


def _rare_words_shared(requirement: str, task_stems: frozenset[str]) -> int:
    frequency = _requirement_frequency()
    return sum(1 for stem in set(Tokens.of(requirement).stems)
               if stem in task_stems and len(stem) >= _SHORTEST and frequency[stem] <= RARE_IN)


def by_relevance(requirements: list[str], task: str) -> list[str]:
    """``requirements`` with those sharing rare words with ``task`` first (most shared first), the rest in order."""
    task_stems = frozenset(Tokens.of(task).stems)
    ranked = sorted(enumerate(requirements), key=lambda item: (-_rare_words_shared(item[1], task_stems), item[0]))
    return [requirement for _, requirement in ranked]
