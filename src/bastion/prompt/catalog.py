"""The security knowledge behind prompt hardening, loaded from data files.

Themes (``knowledge/themes/*.yaml``) say *what* a task must guarantee:
requirements, what not to do, acceptance checks, CWE ids and references, plus
the triggers and concepts that recognise the theme in a task description. Stacks
(``knowledge/stacks/*.yaml``) say *how* on one language, framework or library:
the secure pattern for each theme. Keeping both as data lets reviewers check
the advice without reading code, and lets tests assert that every theme is
complete for Python and JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import re2
import yaml

from bastion.prompt.lexicon import Concept, compile_concept

KNOWLEDGE_PACKAGE = "bastion.prompt.knowledge"
STACK_KINDS = ("language", "framework", "library")


class KnowledgeError(ValueError):
    """A knowledge file is malformed; the message names the file and the key."""


@dataclass(frozen=True)
class Trigger:
    """One linear-time pattern that, found in a task, is evidence for a theme or a stack."""

    pattern: str
    weight: float
    regex: Any  # re2 compiled pattern


@dataclass(frozen=True)
class Theme:
    id: str
    title: str
    summary: str
    cwe: tuple[int, ...]
    owasp: tuple[str, ...]
    triggers: tuple[Trigger, ...]
    requirements: tuple[str, ...]
    avoid: tuple[str, ...]
    checks: tuple[str, ...]
    references: tuple[str, ...]
    concepts: tuple[Concept, ...] = ()
    #: The languages the theme applies to (memory safety: C and C++); empty for every language.
    languages: tuple[str, ...] = ()
    #: ``requirements`` without the Python and JavaScript API names, for languages with no curated snippets.
    neutral_requirements: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pattern:
    """A short secure example for one theme on one stack."""

    theme: str
    stack: str
    title: str
    code: str
    fence: str
    #: The kind of file the example handles ("image"), so it is not shown for a task about another kind.
    artefact: str | None = None


@dataclass(frozen=True)
class Stack:
    id: str
    kind: str  # language, framework or library
    language: str
    title: str
    fence: str
    web: bool
    triggers: tuple[Trigger, ...]
    packages: tuple[str, ...]
    manifests: tuple[str, ...]
    patterns: dict[str, Pattern]


@dataclass(frozen=True)
class Baseline:
    """Requirements for any code that serves requests, recognised by its own triggers."""

    id: str
    title: str
    triggers: tuple[Trigger, ...]
    requirements: tuple[str, ...]
    checks: tuple[str, ...]
    references: tuple[str, ...]
    neutral_requirements: tuple[str, ...] = ()


@dataclass(frozen=True)
class Feature:
    """A common feature (search, password reset, payments) with requirements of its own on top of its themes."""

    id: str
    title: str
    #: The themes building this feature calls for, with the weight of that implication: 1 names the theme
    #: outright, less needs signs of the theme in the request itself (a search is a rate-limiting question
    #: only when the request also speaks of an endpoint, volume or pages).
    implies: tuple[tuple[str, float], ...]
    triggers: tuple[Trigger, ...]
    requirements: tuple[str, ...]
    neutral_requirements: tuple[str, ...] = ()


@dataclass(frozen=True)
class Knowledge:
    themes: dict[str, Theme]
    stacks: dict[str, Stack]
    baseline: Baseline
    features: dict[str, Feature] = field(default_factory=dict)
    #: Per theme, the dependency names that show a repository handles it (``packages.yaml``).
    package_themes: dict[str, frozenset[str]] = field(default_factory=dict)
    #: Signs of a request that changes how code looks or performs, not what it does (``intent.yaml``).
    behaviour_neutral: tuple[Trigger, ...] = ()

    def theme_ids(self) -> list[str]:
        return list(self.themes)


def _compile(where: str, entries: Any) -> tuple[Trigger, ...]:
    if not isinstance(entries, list) or not entries:
        raise KnowledgeError(f"{where}: 'triggers' must be a non-empty list")
    triggers = []
    options = re2.Options()
    options.never_capture = True
    for entry in entries:
        if isinstance(entry, str):
            entry = {"re": entry, "weight": 1}
        if not isinstance(entry, dict) or not isinstance(entry.get("re"), str):
            raise KnowledgeError(f"{where}: each trigger needs a string 're'")
        try:
            regex = re2.compile(entry["re"], options)
        except re2.error as exc:
            raise KnowledgeError(f"{where}: bad trigger {entry['re']!r}: {exc}") from None
        weight = entry.get("weight", 1)
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight == 0:
            raise KnowledgeError(f"{where}: a trigger's weight must be a non-zero number")
        # a negative weight is counter-evidence: the word in a context that shows the theme is not the task
        # ("after login" names a login the task does not build)
        triggers.append(Trigger(entry["re"], float(weight), regex))
    return tuple(triggers)


def _concepts(where: str, entries: Any) -> tuple[Concept, ...]:
    if entries is None:
        return ()
    if not isinstance(entries, list):
        raise KnowledgeError(f"{where}: 'concepts' must be a list")
    try:
        return tuple(compile_concept(where, entry) for entry in entries)
    except ValueError as exc:
        raise KnowledgeError(str(exc)) from None


def _strings(where: str, data: dict[str, Any], key: str, required: bool = True) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise KnowledgeError(f"{where}: '{key}' must be a list of non-empty strings")
    if required and not value:
        raise KnowledgeError(f"{where}: '{key}' must not be empty")
    return tuple(value)


def _load_yaml(name: str) -> dict[str, Any]:
    text = resources.files(KNOWLEDGE_PACKAGE).joinpath(name).read_text("utf-8")
    # the C loader when libyaml is built in: same safe schema, several times faster
    data = yaml.load(text, Loader=yaml.CSafeLoader) if hasattr(yaml, "CSafeLoader") else yaml.safe_load(text)
    if not isinstance(data, dict):
        raise KnowledgeError(f"{name}: must be a mapping")
    return data


#: The languages with curated snippets; the advice for any other is language-neutral.
CURATED_LANGUAGES = frozenset({"python", "javascript"})


def language_neutral(languages: list[str] | tuple[str, ...]) -> bool:
    """Whether advice for ``languages`` must be language-neutral: some are named and none has curated snippets
    (Java, Go, C, C++), so requirements take their ``neutral`` form and "do not" lines (Python and JavaScript
    code) are left out."""
    return bool(languages) and not set(languages) & CURATED_LANGUAGES


def _requirements(where: str, data: dict[str, Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The requirements and their language-neutral forms: an entry is a string, or ``{text, neutral}`` when
    the text names Python or JavaScript APIs that a Java, Go or C prompt must not carry."""
    raw = data.get("requirements")
    if not isinstance(raw, list) or not raw:
        raise KnowledgeError(f"{where}: 'requirements' must be a non-empty list")
    texts, neutral = [], []
    for entry in raw:
        if isinstance(entry, dict) and set(entry) == {"text", "neutral"}:
            text, plain = entry["text"], entry["neutral"]
        else:
            text = plain = entry
        if not all(isinstance(t, str) and t.strip() for t in (text, plain)):
            raise KnowledgeError(f"{where}: a requirement is a non-empty string or {{text, neutral}}")
        texts.append(text)
        neutral.append(plain)
    return tuple(texts), tuple(neutral)


def _theme(name: str, data: dict[str, Any]) -> Theme:
    cwe = data.get("cwe")
    if not isinstance(cwe, list) or not cwe or not all(isinstance(c, int) for c in cwe):
        raise KnowledgeError(f"{name}: 'cwe' must be a non-empty list of integers")
    requirements, neutral = _requirements(name, data)
    return Theme(
        id=data["id"], title=data["title"], summary=data.get("summary", ""), cwe=tuple(cwe),
        owasp=tuple(data.get("owasp") or ()), triggers=_compile(name, data.get("triggers")),
        requirements=requirements, neutral_requirements=neutral, avoid=_strings(name, data, "avoid"),
        checks=_strings(name, data, "checks"), references=_strings(name, data, "references"),
        concepts=_concepts(name, data.get("concepts")), languages=tuple(data.get("languages") or ()),
    )


def _stack(name: str, data: dict[str, Any]) -> Stack:
    if data.get("kind") not in STACK_KINDS:
        raise KnowledgeError(f"{name}: 'kind' must be one of {', '.join(STACK_KINDS)}")
    fence = data.get("fence", data["language"])
    patterns = {}
    for theme_id, entry in (data.get("patterns") or {}).items():
        if not isinstance(entry, dict) or not entry.get("title") or not entry.get("code"):
            raise KnowledgeError(f"{name}: pattern '{theme_id}' needs a title and code")
        patterns[theme_id] = Pattern(theme_id, data["id"], entry["title"], entry["code"].rstrip() + "\n", fence,
                                     entry.get("artefact"))
    return Stack(
        id=data["id"], kind=data["kind"], language=data["language"], title=data["title"], fence=fence,
        web=bool(data.get("web", False)), triggers=_compile(name, data.get("detect")),
        packages=tuple(data.get("packages") or ()), manifests=tuple(data.get("manifests") or ()), patterns=patterns,
    )


def _implications(name: str, raw: Any) -> tuple[tuple[str, float], ...]:
    """``implies`` as (theme, weight): a list entry is a theme id (weight 1) or ``{theme: weight}``."""
    if not isinstance(raw, list) or not raw:
        raise KnowledgeError(f"{name}: 'implies' must be a non-empty list")
    result = []
    for entry in raw:
        if isinstance(entry, str):
            entry = {entry: 1}
        if not isinstance(entry, dict) or len(entry) != 1:
            raise KnowledgeError(f"{name}: each 'implies' entry is a theme id or {{theme: weight}}")
        [(theme, weight)] = entry.items()
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0 < weight <= 1:
            raise KnowledgeError(f"{name}: the weight implied for {theme!r} must be over 0 and at most 1")
        result.append((str(theme), float(weight)))
    return tuple(result)


def _feature(name: str, data: dict[str, Any], themes: dict[str, Theme]) -> Feature:
    implies = _implications(name, data.get("implies"))
    unknown = {theme for theme, _ in implies} - set(themes)
    if unknown:
        raise KnowledgeError(f"{name}: 'implies' names unknown themes {sorted(unknown)}")
    requirements, neutral = _requirements(name, data)
    return Feature(id=data["id"], title=data["title"], implies=implies, triggers=_compile(name, data.get("triggers")),
                   requirements=requirements, neutral_requirements=neutral)


@lru_cache(maxsize=1)
def load_knowledge() -> Knowledge:
    """Read and validate every knowledge file once per process."""
    root = resources.files(KNOWLEDGE_PACKAGE)
    themes = {}
    for entry in sorted(root.joinpath("themes").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            theme = _theme(f"themes/{entry.name}", _load_yaml(f"themes/{entry.name}"))
            themes[theme.id] = theme
    stacks = {}
    for entry in sorted(root.joinpath("stacks").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            stack = _stack(f"stacks/{entry.name}", _load_yaml(f"stacks/{entry.name}"))
            stacks[stack.id] = stack
    data = _load_yaml("baseline.yaml")
    requirements, neutral = _requirements("baseline.yaml", data)
    baseline = Baseline(
        id=data["id"], title=data["title"], triggers=_compile("baseline.yaml", data.get("triggers")),
        requirements=requirements, neutral_requirements=neutral,
        checks=_strings("baseline.yaml", data, "checks"), references=_strings("baseline.yaml", data, "references"),
    )
    features = {}
    for entry in sorted(root.joinpath("features").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            feature = _feature(f"features/{entry.name}", _load_yaml(f"features/{entry.name}"), themes)
            features[feature.id] = feature
    for stack in stacks.values():
        unknown = set(stack.patterns) - set(themes) - {baseline.id}
        if unknown:
            raise KnowledgeError(f"stacks/{stack.id}.yaml: patterns for unknown themes {sorted(unknown)}")
    package_themes = _package_themes(_load_yaml("packages.yaml"), themes)
    behaviour_neutral = _compile("intent.yaml", _load_yaml("intent.yaml").get("behaviour_neutral"))
    return Knowledge(themes=themes, stacks=stacks, baseline=baseline, features=features, package_themes=package_themes,
                     behaviour_neutral=behaviour_neutral)


def _package_themes(data: dict[str, Any], themes: dict[str, Theme]) -> dict[str, frozenset[str]]:
    unknown = set(data) - set(themes)
    if unknown:
        raise KnowledgeError(f"packages.yaml: unknown themes {sorted(unknown)}")
    return {theme: frozenset(p.lower() for p in _strings("packages.yaml", data, theme)) for theme in data}
