"""Normalizing task text and matching triggers against it.

Task descriptions arrive from users and, through the MCP server, from AI
assistants: they are untrusted input, so they are capped in length and matched
only with RE2 (linear time). Normalization folds the spellings that would
otherwise need a variant in every trigger (case, curly quotes, "log in"), and
marks what the task says it does *not* need ("no database", "auth is not
required", "regex-free") so that neither triggers nor concepts see it.
"""

from __future__ import annotations

import re2

from bastion.prompt.catalog import Trigger
from bastion.prompt.lexicon import fold

#: Longest task text analysed; the rest is kept in the prompt but not matched.
MAX_TASK_CHARS = 20_000

_FOLDS = (
    # git's history command is not a login ("run git log on the branch")
    (re2.compile(r"\bgit log\b"), "git history"),
    # names that only look like a theme's word: Go's Echo framework ("Echo: profile upload", "Echo endpoint GET"),
    # the Shell sort algorithm, a key of a keyboard or of a dict ("sort by the 'created' key"), one goroutine or
    # thread (no concurrency at all)
    (re2.compile(r"^\s*echo:|\becho\.context\b|\becho (handlers?|middleware|framework|group|router)\b|"
                 r"\becho (endpoint|route|handler)s? (get|post|put|patch|delete)\b"), " echoframework "),
    (re2.compile(r"\b(in|with|using) echo\b"), r"\1 echoframework"),
    (re2.compile(r"\bshell ?sort\b"), "shellsort"),
    (re2.compile(r"\b(arrow|enter|return|escape|esc|space|spacebar|shift|ctrl|control|alt|tab|backspace|keyboard|hot) keys?\b|"
                 r"\bkey ?(press|presses|down|up|strokes?|bindings?|events?)\b|\bhotkeys?\b"), "keystroke"),
    (re2.compile(r"'[a-z_][a-z0-9_]*' key\b|\bkeyed by\b"), "field"),
    (re2.compile(r"\bsingle[- ](goroutine|thread|threaded|process)\b"), "singlethreaded"),
    # a signature under an email or a forum post is text, not a cryptographic signature
    (re2.compile(r"\b(email|e-mail|mail|forum|custom email|html email) signatures?\b"), r"\1 footer"),
    # a hash map is a data structure, not a digest
    (re2.compile(r"\bhash ?(map|maps|table|tables|set|sets)\b"), "hashtable"),
    # a stretch of time spent on something is not a user's session ("Pomodoro session timer", "a study session")
    (re2.compile(r"\b(work|focus|pomodoro|workout|gaming|coding|recording|meditation|therapy|tutoring|jam|brainstorming|"
                 r"practice|study|training|game|yoga|fitness|reading|listening) sessions?\b|\bsessions? timers?\b"), "timeslot"),
    (re2.compile(r"\b(log|logs|logged|logging)[ -]?(in|into|on)\b"), "login"),
    (re2.compile(r"\b(log|logs|logged|logging)[ -]?(out|off)\b"), "logout"),
    # a service's own credential is a configuration secret, not a user's password
    # the database's own password or address is configuration: it says nothing of the records kept there
    (re2.compile(r"\b(database|db|postgres|postgresql|mysql|mongodb|mongo) (password|passwords|credential|credentials|"
                 r"login|logins|url|uri|dsn|connection string|host|user)\b"), "connection-settings secret"),
    (re2.compile(r"\b(smtp|mail|redis|service|ftp|root|aws|gcp|azure|s3|cloud|api) "
                 r"(password|passwords|credential|credentials|login|logins)\b"), r"\1 secret"),
    (re2.compile(r"\bauthorization header\b"), "auth header"),
    # the certificate authority's name is not a request to encrypt anything
    (re2.compile(r"\blet'?s ?encrypt\b"), "letsencrypt"),
    (re2.compile(r"\b(return|redirect|callback)[ _-]?(url|uri)s?\b"), r"\1url"),
    (re2.compile(r"\buploads? (folder|directory|dir)\b"), "files folder"),
    (re2.compile(r"\bour (own |public |internal )?api\b"), "own-api"),
    # C# and .NET named so that "in C#" is not C and ".NET" is one word
    (re2.compile(r"\bc#"), "csharp"),
    (re2.compile(r"\bf#"), "fsharp"),
    (re2.compile(r"(^|\s|\b)\.net\b"), r"\1dotnet"),
    (re2.compile(r"\basp\.?net\b"), "aspdotnet"),
    (re2.compile(r"[‘’´]"), "'"),
    (re2.compile(r"[“”]"), '"'),
    (re2.compile(r"\s+"), " "),
)


#: "no X", "no need for X", "X is not needed", "X-free": X is absent from the task, not asked for.
_NEGATED = (
    re2.compile(r"\b(?:no need (?:for|of)(?: an?| any)?|without any|no) ([a-z][a-z0-9]*)\b(?: ([a-z][a-z0-9]*)\b)?"),
    re2.compile(r"\b([a-z][a-z0-9]*) (?:is|are) (?:not|n't) (?:needed|required|necessary|wanted)\b"),
    re2.compile(r"\b([a-z][a-z0-9]*)-free\b"),
)
#: Words that stay evidence after "no": quantifiers ("no more than 5", "no one except"), and safeguards,
#: whose absence is itself the risk a reviewer raises ("no size limit", "without any validation").
_NOT_NEGATED = frozenset({"more", "less", "longer", "later", "one", "other", "matter", "need", "way", "further",
                          "sooner", "fewer", "bigger", "larger", "faster", "two", "single",
                          "limit", "limits", "rate", "throttling", "validation", "sanitization", "sanitisation",
                          "escaping", "encryption", "tls", "https", "csrf", "check", "checks", "authorization",
                          "authorisation", "permission", "permissions", "access", "timeout", "timeouts", "logging"})
NEGATION_MARK = "un"


def _mark_negated(found) -> str:
    """Mark the negated word, unless it or the word after it ("no size limit") must stay evidence."""
    word = found.group(1)
    following = found.group(2) if found.re.groups > 1 else None
    if word in _NOT_NEGATED or following in _NOT_NEGATED:
        return found.group(0)
    return found.group(0).replace(word, NEGATION_MARK + word, 1)


def normalize(task: str) -> str:
    """Lower-case, drop accents, fold quotes and "log in"/"log out", mark negated words, collapse whitespace."""
    text = fold(task[:MAX_TASK_CHARS])
    for pattern, replacement in _FOLDS:
        text = pattern.sub(replacement, text)
    for pattern in _NEGATED:
        text = pattern.sub(_mark_negated, text)
    return " " + text.strip() + " "


def match_triggers(text: str, triggers: tuple[Trigger, ...]) -> tuple[float, list[str]]:
    """The summed weight of the triggers found in ``text`` and the phrases that matched."""
    score = 0.0
    evidence: list[str] = []
    for trigger in triggers:
        found = trigger.regex.search(text)
        if found:
            score += trigger.weight
            if trigger.weight < 0:  # counter-evidence lowers the score but is no reason to show
                continue
            phrase = found.group(0).strip()
            if phrase and phrase not in evidence:
                evidence.append(phrase)
    return score, evidence


#: Words before a feature's name that make it the place of another task, not the thing built: "to our login",
#: "in the Fastify login", "for the checkout page".
_CONTEXT_BEFORE = re2.compile(
    r"\b(in|into|to|for|from|at|via|inside|within|during|behind|through) (the |our |my |their |a |an |"
    r"this |that |your |its |existing |current )?([a-z0-9.-]+ )?/?$")
#: Words after it that make it the source of the task's data: "the email the login form posts".
_CONTEXT_AFTER = re2.compile(r"^ ?((form|page|screen|request|handler|endpoint) )?(posts|sends|submits|sent|posted|submitted)\b")


def named_as_context(text: str, start: int, end: int) -> bool:
    """Whether the phrase at ``text[start:end]`` names where the task happens rather than what it builds.

    "Limit password attempts in our Fastify login" builds a limit, not a login; the login's own needs
    (sessions after success) are then implied only half as strongly."""
    return bool(_CONTEXT_BEFORE.search(text[max(0, start - 40):start]) or _CONTEXT_AFTER.search(text[end:end + 40]))


def match_feature_triggers(text: str, triggers: tuple[Trigger, ...]) -> tuple[float, list[str], bool]:
    """:func:`match_triggers` plus whether every positive match names the feature only as context."""
    score, evidence = match_triggers(text, triggers)
    positive = [found for found in (t.regex.search(text) for t in triggers if t.weight > 0) if found]
    context = bool(positive) and all(named_as_context(text, f.start(), f.end()) for f in positive)
    return score, evidence, context

