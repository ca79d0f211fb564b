"""The request's own language, read from the APIs it names, and what follows from it (issue 19, fifth round).

The cases are written for these mechanisms, not taken from the frozen request sets: an API or idiom that
names one language, a look-alike that names another (or none), the snippets a request with no language gets,
the weight a language-bound theme gains in its own language, and words that only look like a theme's.
"""

from __future__ import annotations

import pytest

from bastion.prompt import harden_prompt


@pytest.mark.parametrize("task, language", [
    ("RestTemplate call to the weather service with a timeout", "java"),
    ("@RestController that lists the orders of a shop", "java"),
    ("JdbcTemplate query for the monthly report", "java"),
    ("a logback appender that writes to a second file", "java"),
    ("parse the partner feed with a DocumentBuilderFactory", "java"),
    ("http.HandleFunc for the avatar route", "go"),
    ("handler taking a gin.Context that reads the team name", "go"),
    ("seed math/rand for the invite codes", "go"),
    ("yaml.Unmarshal the job spec into a struct", "go"),
    ("Echo: handler that returns the current user", "go"),
    ("malloc the reply buffer and fill it from the socket", "c"),
    ("getenv the log dir and strlen it", "c"),
    ("we free the buffer but keep using it afterwards", "c"),
    ("copy a std::string into a fixed char array", "cpp"),
    ("nlohmann::json message read off the wire", "cpp"),
])
def test_an_api_names_the_language(task, language):
    assert harden_prompt(task).stack.languages == [language]


@pytest.mark.parametrize("task, languages", [
    # Python's os.getenv is not C's getenv; Go's fmt.Sprintf is not C's sprintf
    ("os.getenv for the db url in flask", ["python"]),
    ("fmt.Sprintf the greeting for the web page", ["go"]),
    # "gets" and "node" as English words name no C and no Node.js
    ("each member gets a welcome email", []),
    ("free the nodes of the linked list", ["c"]),
    ("node script that renames the photos", ["javascript"]),
])
def test_a_look_alike_names_another_language_or_none(task, languages):
    assert harden_prompt(task).stack.languages == languages


def test_a_request_naming_no_language_gets_no_snippet_but_the_same_requirements():
    task = "Let users upload a profile picture"
    unnamed = harden_prompt(task)
    assert unnamed.stack.languages == []
    text = unnamed.render("text")
    assert "```" not in text and "file upload" in text.lower()
    assert not any(p for s in unnamed.sections for p in s.patterns)
    assert any(p.fence == "python" for s in harden_prompt(task, language="python").sections for p in s.patterns)


def test_a_language_bound_theme_needs_less_in_its_own_language():
    task = "walk the records of the binary blob a partner sends us"
    assert "memory-safety" in harden_prompt(task, language="c").theme_ids
    assert "memory-safety" not in harden_prompt(task).theme_ids
    assert "memory-safety" not in harden_prompt(task, language="go").theme_ids
    evidence = next(t for t in harden_prompt(task, language="c").themes if t.id == "memory-safety").evidence
    assert "written in C" in evidence


@pytest.mark.parametrize("task, theme", [
    ("echo the username back in the page", "html-xss"),
    ("React: render the bio with dangerouslySetInnerHTML", "html-xss"),
    ("the read replica's password comes from the environment", "secrets-config"),
    ("shoppers type filters like size >= 42 and brand == 'acme' and we apply them to the list", "code-execution"),
])
def test_a_theme_word_still_counts(task, theme):
    assert theme in harden_prompt(task).theme_ids


@pytest.mark.parametrize("task, absent", [
    ("Shell sort on an array of floats", "shell-commands"),
    ("move the sprite while the arrow key is held", "secrets-config"),
    ("sort the rows by the 'updated' key", "cryptography"),
    ("a single-goroutine worker that drains the queue", "race-conditions"),
    ("Pomodoro session timer with a pause button", "sessions-tokens"),
    ("evaluate the classifier on the test split", "code-execution"),
    ("run git log on the branch the user picked", "authentication"),
    ("read the database password from an environment variable", "database"),
    ("route every /api/* call to the backend", "file-paths"),
    ("return the items whose price > 10", "code-execution"),
])
def test_a_look_alike_word_does_not_raise_the_theme(task, absent):
    assert absent not in harden_prompt(task).theme_ids
