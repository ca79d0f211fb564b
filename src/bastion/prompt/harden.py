"""Turning a coding request into a hardened prompt.

Evidence from studies of security prompting guides the shape: short,
task-specific constraints and a secure example for the stack in use help;
a bare "act as a security expert" persona helps least, so it is only an
option; and the acceptance checks point at tool results (``bastion scan``)
rather than at "make it more secure" iterations.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import re2
from pathlib import Path
from typing import Any

from bastion.prompt.budget import DEFAULT_BUDGET, WEB_BONUS, budget_for, fit, words
from bastion.prompt.catalog import Pattern, language_neutral, load_knowledge
from bastion.prompt.guidelines import Passage
from bastion.prompt.relevance import by_relevance
from bastion.prompt.stack import StackChoice, choose_stack, profile_repository
from bastion.prompt.text import match_triggers, normalize
from bastion.prompt.themes import (BEHAVIOUR_NEUTRAL_FACTOR, THRESHOLD, FeatureMatch, ThemeMatch, changes_no_behaviour,
                                   detect_features, implied_totals, theme_scores)

PERSONA = ("Act as a careful application-security engineer: apply the requirements below exactly, "
           "and say which requirement each part of your code satisfies.")
MAX_CHECKS = 3
SCAN_CHECK = "Run `bastion scan` on the changed files: the result must have no finding at medium severity or above."


@dataclass
class Section:
    """The requirements, patterns and sources for one theme (or for every endpoint)."""

    id: str
    title: str
    cwe: list[int]
    owasp: list[str]
    requirements: list[str]
    avoid: list[str]
    patterns: list[Pattern]
    references: list[str]
    evidence: list[str] = field(default_factory=list)
    #: Ranks later than the themes' advice of the same depth (the generic endpoint baseline: 1).
    rank_offset: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "title": self.title, "cwe": self.cwe, "owasp": self.owasp,
            "requirements": self.requirements, "avoid": self.avoid, "evidence": self.evidence,
            "patterns": [{"stack": p.stack, "title": p.title, "language": p.fence, "code": p.code} for p in self.patterns],
            "references": self.references,
        }


@dataclass
class HardenedPrompt:
    """A task restated with explicit security requirements, secure patterns and acceptance checks."""

    task: str
    themes: list[ThemeMatch]
    stack: StackChoice
    sections: list[Section]
    checks: list[str]
    guidelines: list[Passage] = field(default_factory=list)
    persona: str | None = None
    #: Requirements that did not fit the word budget, named by their first clause.
    also_check: list[str] = field(default_factory=list)

    @property
    def theme_ids(self) -> list[str]:
        return [t.id for t in self.themes]

    def to_dict(self) -> dict[str, Any]:
        return {
            "task": self.task,
            "themes": [t.to_dict() for t in self.themes],
            "stack": self.stack.to_dict(),
            "persona": self.persona,
            "sections": [s.to_dict() for s in self.sections],
            "checks": self.checks,
            "also_check": self.also_check,
            "guidelines": [g.to_dict() for g in self.guidelines],
            "prompt": self.render("text"),
        }

    def render(self, fmt: str = "text") -> str:
        from bastion.prompt.render import render

        return render(self, fmt)

    def __str__(self) -> str:
        return self.render("text")


#: Words naming the kind of file a task handles; an example written for one kind is not shown for another.
_ARTEFACT_WORDS = {"image": re2.compile(r"\b(images?|pictures?|photos?|avatars?|png|jpe?g|gif|webp|thumbnails?)\b")}
_OTHER_ARTEFACTS = re2.compile(
    r"\b(pdfs?|documents?|docx?|csv|xlsx?|spreadsheets?|videos?|audio|mp3|mp4|zip|archives?|tarballs?|contracts?|"
    r"invoices?|resumes?|cvs|attachments?|xml|json files?|yaml files?)\b")


def _fits_artefact(pattern: Pattern, text: str) -> bool:
    """Whether an example fits the kind of file the task is about (an image example for a PDF task does not)."""
    words = _ARTEFACT_WORDS.get(pattern.artefact or "")
    return words is None or bool(words.search(text)) or not _OTHER_ARTEFACTS.search(text)


def _pick_pattern(theme_id: str, language: str, choice: StackChoice, text: str) -> Pattern | None:
    """The most specific pattern for a theme in one language: library, then framework, then language."""
    stacks = load_knowledge().stacks
    for stack_id in (*choice.libraries, *choice.frameworks, language):
        stack = stacks.get(stack_id)
        if stack and stack.language == language and theme_id in stack.patterns:
            pattern = stack.patterns[theme_id]
            return pattern if _fits_artefact(pattern, text) else None
    return None


def _cwe_links(cwes: list[int], references: tuple[str, ...]) -> list[str]:
    links = list(references)
    for cwe in cwes:
        url = f"https://cwe.mitre.org/data/definitions/{cwe}.html"
        if url not in links:
            links.append(url)
    return links


def build_sections(themes: list[ThemeMatch], choice: StackChoice, web: bool, text: str = "") -> list[Section]:
    knowledge = load_knowledge()
    # a request that names no language (and comes with no project) gets no snippet and no "do not" code
    # lines: an example in Python or JavaScript is in the wrong language for every other reader; its
    # requirements keep their usual text, which names the common libraries of several languages in prose
    languages = choice.languages
    neutral = language_neutral(languages)
    sections = []
    for match in themes:
        theme = knowledge.themes[match.id]
        patterns = [p for p in (_pick_pattern(theme.id, lang, choice, text) for lang in languages) if p]
        requirements = by_relevance(list(theme.neutral_requirements if neutral else theme.requirements), text)
        sections.append(Section(theme.id, theme.title, list(theme.cwe), list(theme.owasp), requirements,
                                list(theme.avoid) if languages and not neutral else [], patterns,
                                _cwe_links(list(theme.cwe), theme.references), list(match.evidence)))
    if web:
        base = knowledge.baseline
        framework_covered = any(p.stack in choice.frameworks for s in sections for p in s.patterns)
        patterns = [] if framework_covered else [
            p for p in (_pick_pattern(base.id, lang, choice, text) for lang in languages) if p]
        requirements = base.neutral_requirements if neutral else base.requirements
        sections.append(Section(base.id, base.title, [20], ["A03:2021-Injection"], list(requirements), [],
                                patterns, list(base.references), rank_offset=0.5))
    return sections


def feature_sections(features: list[FeatureMatch], neutral: bool = False) -> list[Section]:
    """A section per feature the task builds; its requirements are the most specific, so they rank first
    (a feature named only as the place of the task ranks with the themes)."""
    knowledge = load_knowledge()
    sections = []
    for match in features:
        feature = knowledge.features[match.id]
        requirements = feature.neutral_requirements if neutral else feature.requirements
        sections.append(Section(f"feature-{feature.id}", f"{feature.title} (feature)", [], [], list(requirements),
                                [], [], [], list(match.evidence), rank_offset=0.0 if match.context else -0.5))
    return sections


#: The score a language-bound theme needs when the request names no language: twice the usual, so that only
#: signs of that language's own kind ("free the linked list nodes", "width by height for the buffer size")
#: keep it, not a string parsed.
UNNAMED_LANGUAGE_SCORE = 2 * THRESHOLD


#: What the request's own language adds to a sign of a theme bound to it: a buffer, a length or a string handled
#: in C is the memory-safety question, however the request names C (``in C``, ``strlen``, ``std::vector``).
OWN_LANGUAGE_WEIGHT = 0.5


def in_own_language(scores: list[ThemeMatch], choice: StackChoice) -> list[ThemeMatch]:
    """``scores`` with :data:`OWN_LANGUAGE_WEIGHT` added to each language-bound theme that has a sign in the
    request and whose language the request is in (never to a theme without a sign of its own)."""
    themes = load_knowledge().themes
    boosted = []
    for match in scores:
        languages = set(themes[match.id].languages) & set(choice.languages)
        if languages and match.score > 0:
            language = load_knowledge().stacks[sorted(languages)[0]].title
            match = ThemeMatch(match.id, match.title, match.score + OWN_LANGUAGE_WEIGHT,
                               (*match.evidence, f"written in {language}"))
        boosted.append(match)
    return boosted


def applies(match: ThemeMatch, choice: StackChoice) -> bool:
    """Whether a theme applies to the resolved stack (memory safety only to C and C++ code).

    A request that names no language and comes with no project keeps such a theme on strong signs of it."""
    languages = load_knowledge().themes[match.id].languages
    if not languages:
        return True
    if not choice.languages:
        return match.score >= UNNAMED_LANGUAGE_SCORE
    return bool(set(languages) & set(choice.languages))


@dataclass(frozen=True)
class RequestSignals:
    """What the rules read in a request: its stack, the features it builds and every theme's total score."""

    text: str
    web: bool
    choice: StackChoice
    features: list[FeatureMatch]
    #: Every theme with some sign or implication, however weak (knowledge-base order).
    totals: list[ThemeMatch]


def request_signals(task: str, *, root: str | Path | None = None, language: str | None = None,
                    framework: str | None = None) -> RequestSignals:
    """The rules' reading of ``task`` before any threshold (raises ValueError for an unknown language/framework)."""
    text = normalize(task)
    web = match_triggers(text, load_knowledge().baseline.triggers)[0] > 0
    repo = profile_repository(root) if root is not None else None
    choice = choose_stack(text, language=language, framework=framework, repo=repo, web=web)
    # a restyle, rename, test or speed-up builds no feature, and its theme words count half
    neutral_change = changes_no_behaviour(text)
    features = [] if neutral_change else detect_features(task, normalized=text)
    factor = BEHAVIOUR_NEUTRAL_FACTOR if neutral_change else 1.0
    totals = implied_totals(in_own_language(theme_scores(task, normalized=text), choice), features, factor)
    return RequestSignals(text, web, choice, features, totals)


def select_themes(signals: RequestSignals) -> list[ThemeMatch]:
    """The themes a prompt names: those whose total reaches :data:`THRESHOLD` and that apply to the stack
    (knowledge-base order). A learned model was tried here (commit 55bc530) and not adopted
    (see ``benchmarks/prompt/requests/RESULTS.md``)."""
    return [m for m in signals.totals if m.score >= THRESHOLD and applies(m, signals.choice)]


def harden_prompt(task: str, *, root: str | Path | None = None, guidelines: str | Path | list | None = None,
                  persona: bool = False, language: str | None = None, framework: str | None = None,
                  top_k: int = 3, word_budget: int = DEFAULT_BUDGET) -> HardenedPrompt:
    """Harden a coding request: the themes it touches, requirements, secure patterns for the stack, checks.

    ``root`` is a project to take the language and framework from when the
    task names none; ``guidelines`` a folder (or list of folders) of the
    team's Markdown/text guidelines whose most relevant passages are added.
    ``word_budget`` is the length of a one-theme prompt (it grows with the
    number of themes, see :mod:`bastion.prompt.budget`); what does not fit is
    named in a compact "also check" list.
    Raises ValueError for an unknown language or framework or a budget under 100 words.
    """
    if not isinstance(task, str) or not task.strip():
        raise ValueError("the task description is empty")
    if isinstance(word_budget, bool) or not isinstance(word_budget, int) or word_budget < 100:
        raise ValueError("the word budget must be a whole number of at least 100 words")
    signals = request_signals(task, root=root, language=language, framework=framework)
    text, web, choice, features = signals.text, signals.web, signals.choice, signals.features
    themes = select_themes(signals)
    themes.sort(key=lambda t: -t.score)  # the strongest signs first: they get the budget first
    theme_sections = build_sections(themes, choice, web, text)
    # the first check of the strongest themes: each is a whole test to write, so a few say enough
    checks = list(dict.fromkeys(check for section in theme_sections for check in _checks_for(section.id)[:1]))
    checks = checks[:MAX_CHECKS] + [SCAN_CHECK]
    sections = feature_sections(features, language_neutral(choice.languages)) + theme_sections
    # the endpoint baseline is advice of its own, worth half a theme of words
    budget = budget_for(max(1, len(themes)), word_budget) + (WEB_BONUS if web and themes else 0)
    also_check = _fit_sections(task, sections, checks, budget)
    passages: list[Passage] = []
    if guidelines:
        from bastion.prompt.guidelines import search_guidelines

        query = " ".join([task] + [t.title for t in themes])
        passages = search_guidelines(guidelines, query, top_k=top_k)
    return HardenedPrompt(task=task.strip(), themes=themes, stack=choice, sections=sections, checks=checks,
                          guidelines=passages, persona=PERSONA if persona else None, also_check=also_check)


#: Words of the headings and stack line a rendered prompt carries besides its sections.
_FRAME_WORDS = 16


def _fit_sections(task: str, sections: list[Section], checks: list[str], budget: int) -> list[str]:
    """Trim ``sections`` in place to ``budget`` words; returns the requirements named only in "also check"."""
    fixed = words(task) + sum(words(c) + 1 for c in checks) + _FRAME_WORDS
    fitted = fit(sections, fixed, budget)
    for section in sections:
        section.requirements = fitted.requirements[section.id]
        section.patterns = fitted.patterns[section.id]
        section.avoid = fitted.avoid[section.id]
        section.references = fitted.references[section.id]
    return fitted.also_check


def _checks_for(section_id: str) -> tuple[str, ...]:
    knowledge = load_knowledge()
    if section_id == knowledge.baseline.id:
        return tuple(c for c in knowledge.baseline.checks if "bastion scan" not in c)
    return knowledge.themes[section_id].checks
