"""Offline detection of names that imitate popular packages (typosquats and AI-invented near-misses).

A name is suspicious when it is not popular itself and, after folding case,
separators (an npm scope's ``@`` and ``/`` too) and a language suffix or prefix (``-python``,
``py-``, ``-js``, ``node-``...), it equals a popular name or sits one edit
(insert, delete, substitute, swap adjacent) away from one. The edit-distance
search uses a deletion index (every popular name with one character
deleted), so a lookup costs O(length) dictionary probes, not a pass over
the list. Targets are the first :data:`TARGETS` names of the data file
(most popular first); every listed name is exempt.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

from bastion.deps.versions import NPM, PYPI, normalize_name

TARGETS = 3000
#: Names shorter than this are too dense in name space for a one-edit match to mean anything.
MIN_LENGTH = 5
_AFFIXES = ("-python", "python-", "py-", "-py", "python3-", "-js", "js-", "node-", "-node", "-nodejs", ".js", "-lib", "lib-")
#: npm scopes only their owner can publish into: DefinitelyTyped's ``@types/jws`` types the package ``jws``, it
#: cannot be a stranger's imitation of ``@types/ws``.
_OWNED_SCOPES = ("@types/",)
_FILES = {PYPI: "popular-pypi.txt", NPM: "popular-npm.txt"}


def squash(name: str) -> str:
    """Fold what a reader's eye skips: case and separators (``@babel/core`` and ``babel-core`` meet)."""
    return "".join(ch for ch in name.lower() if ch not in "@-_./")


@dataclass(frozen=True)
class Match:
    target: str
    reason: str


class PopularNames:
    """The popular names of one ecosystem with a one-deletion index over the targets."""

    def __init__(self, names: list[str], targets: int = TARGETS):
        self.known = frozenset(names)
        self.targets = names[:targets]
        self.target_set = frozenset(self.targets)
        self.by_squashed: dict[str, str] = {}
        self.deletions: dict[str, list[str]] = {}
        for name in self.targets:
            key = squash(name)
            self.by_squashed.setdefault(key, name)
            for variant in _deletions(key):
                self.deletions.setdefault(variant, []).append(name)

    @classmethod
    @functools.lru_cache(maxsize=None)
    def load(cls, ecosystem: str) -> "PopularNames":
        text = resources.files("bastion.deps").joinpath("data", _FILES[ecosystem]).read_text(encoding="utf-8")
        return cls([line.strip() for line in text.splitlines() if line.strip()])

    def check(self, ecosystem: str, name: str) -> Match | None:
        """The popular package ``name`` seems to imitate, or None."""
        norm = normalize_name(ecosystem, name)
        if norm in self.known or (ecosystem == NPM and norm.startswith(_OWNED_SCOPES)):
            return None
        key = squash(norm)
        if len(key) < MIN_LENGTH - 1:
            return None
        target = self.by_squashed.get(key)
        if target and target != norm:
            return Match(target, "differs only in separators, case or scope")
        for affix in _AFFIXES:
            stripped = norm[: -len(affix)] if norm.endswith(affix) else norm[len(affix) :] if norm.startswith(affix) else None
            if stripped and stripped in self.target_set:
                return Match(stripped, f"adds '{affix.strip('-.')}' to a popular name")
        if len(key) < MIN_LENGTH:
            return None
        for candidate in self._one_edit(key):
            return Match(candidate, "one character away from a popular name")
        return None

    def _one_edit(self, key: str):
        seen = set()
        for variant in [key, *_deletions(key)]:
            for name in self.deletions.get(variant, ()):
                if name not in seen and _damerau_one(key, squash(name)):
                    seen.add(name)
                    yield name
            target = self.by_squashed.get(variant)
            if target and target not in seen and _damerau_one(key, squash(target)):
                seen.add(target)
                yield target


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _damerau_one(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` are exactly one insert, delete, substitution or adjacent swap apart."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]
