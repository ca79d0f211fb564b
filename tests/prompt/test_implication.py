"""What a request implies (issue 19, third round): implied themes, counter-evidence, weighted implications."""

from __future__ import annotations

import pytest

from bastion.prompt import harden_prompt
from bastion.prompt.catalog import KnowledgeError, _compile, _implications
from bastion.prompt.themes import detect_features


@pytest.mark.parametrize("task, theme", [
    ("Give every API client its own key and check it on each request", "cryptography"),
    ("Endpoint PATCH /projects/:id lets members rename a project", "authorization"),
    ("Book a meeting room only if it's still free", "race-conditions"),
    ("hey can you make my django view accept a math formula like 3*x+2 and plot it", "code-execution"),
    ("Free the linked list nodes and return the head's value", "memory-safety"),
    ("Copy the user-supplied username into the struct field in our C daemon", "memory-safety"),
    ("Let teachers write grading rules and run them against submissions", "authorization"),
    ("Log the full request including the Authorization header when a call fails", "secrets-config"),
    ("Check phone numbers in the checkout form", "regex"),
    ("Flask route: convert the uploaded .docx to pdf by calling soffice", "shell-commands"),
    ("Spring endpoint that returns an employee's payslip PDF by employee number", "authorization"),
    ("Let clients ask for up to N records per page", "rate-limiting"),
    ("Write a REST endpoint that returns an order by id", "authorization"),
    ("Send an email when someone fills the contact form", "html-xss"),
])
def test_a_theme_implied_without_its_words_is_named(task, theme):
    assert theme in harden_prompt(task).theme_ids


@pytest.mark.parametrize("task, absent", [
    ("Redirect to the returnTo parameter after login", "sessions-tokens"),  # a login named as a moment
    ("Create a rate limiter for the login endpoint", "sessions-tokens"),  # one safeguard of an existing login
    ("Show the search term back on the results page", "rate-limiting"),  # the term shown, no search built
    ("Stripe payments integration with checkout sessions", "sessions-tokens"),  # the provider's session
    ("Go HTTPS server with certs from Let's Encrypt", "cryptography"),  # the CA's name encrypts nothing
    ("Parse semantic version strings from tags", "memory-safety"),  # no language named: C needs C's own signs
    ("Make a React counter component with useState", "html-xss"),  # a framework alone renders no user data
    ("Implement binary search over a sorted array in TypeScript", "database"),
    ("Decrement the stock count when many workers process orders at once", "rate-limiting"),  # a race
    ("Create the uploads directory with the right permissions", "authorization"),  # file-system permissions
    ("Write an SFTP client that uploads the nightly backup", "file-upload"),  # our program sends, none receives
])
def test_counter_evidence_keeps_a_look_alike_out(task, absent):
    assert absent not in harden_prompt(task).theme_ids


def test_counter_evidence_is_never_shown_as_evidence():
    hardened = harden_prompt("Redirect to the returnTo parameter after login")
    assert not any(f.id == "login" for f in detect_features("Redirect to the returnTo parameter after login"))
    for match in hardened.themes:
        assert "after login" not in match.evidence


def test_a_weak_implication_needs_a_sign_of_its_own():
    # a payment feature implies provider calls at half weight: a provider integrated completes it, a refund
    # screen for support agents does not
    stripe = set(harden_prompt("Integrate Stripe checkout into our Flask shop").theme_ids)
    assert {"secrets-config", "outbound-http"} <= stripe
    assert "outbound-http" not in harden_prompt("Payment refund endpoint for support agents").theme_ids
    # a search implies rate limiting outright (the issue's search requirements include rate limits)
    assert "rate-limiting" in harden_prompt("FastAPI endpoint to search products by name with pagination").theme_ids


def test_sign_in_through_a_provider_is_its_own_feature():
    hardened = harden_prompt("Implement Google OAuth login in Django")
    assert {"authentication", "secrets-config", "redirects"} <= set(hardened.theme_ids)
    assert "rate-limiting" not in hardened.theme_ids  # no password to guess
    assert any(s.id == "feature-oauth-login" for s in hardened.sections)


@pytest.mark.parametrize("task", [
    "Write an nginx config to serve our app over HTTPS",
    "Set up GitHub Actions to deploy on push to main",
    "Write a bash script that deletes log files older than 7 days",
])
def test_requests_in_no_programming_language_get_no_examples(task):
    hardened = harden_prompt(task)
    assert not [p for s in hardened.sections for p in s.patterns]


@pytest.mark.parametrize("task, language", [
    ("Go reverse proxy that forwards to the host in the X-Target header", "go"),
    ("Trust all certificates in the HttpClient so our test server works", "java"),
    ("Check if the file is writable with access() and then open it", "c"),
    ("Render a Jinja2 template string that the customer writes", "python"),
])
def test_the_language_is_read_from_what_the_request_names(task, language):
    assert harden_prompt(task).stack.languages == [language]


def test_knowledge_files_reject_meaningless_weights():
    with pytest.raises(KnowledgeError):
        _compile("t", [{"re": "x", "weight": 0}])
    with pytest.raises(KnowledgeError):
        _implications("f", [{"database": 1.5}])
    with pytest.raises(KnowledgeError):
        _implications("f", [{"database": 0.5, "regex": 0.5}])
    assert _implications("f", ["database", {"regex": 0.5}]) == (("database", 1.0), ("regex", 0.5))
    assert _compile("t", [{"re": "x", "weight": -1}])[0].weight == -1.0


@pytest.mark.parametrize("task, language", [
    ("Go: cache the user's permissions in a map that HTTP handlers read and update", "go"),
    ("C: parse command line options and copy the output path into a buffer", "c"),
])
def test_a_language_prefix_names_the_language(task, language):
    hardened = harden_prompt(task)
    assert hardened.stack.languages == [language]
    assert not [p for s in hardened.sections for p in s.patterns]  # no curated snippets: language-neutral


#: Python and JavaScript API names a Java, Go or C prompt must not carry.
FOREIGN_NAMES = ("pydantic", "zod", "yaml.safe_load", "defusedxml", "subprocess", "child_process", "secrets.token",
                 "crypto.randomBytes", "hmac.compare_digest", "timingSafeEqual", "dangerouslySetInnerHTML", "Jinja2",
                 "express-session", "Flask", "Django", "js-yaml", "re.escape", "Path.resolve", "pickle.loads")


@pytest.mark.parametrize("task", [
    "Read the serialized Cart object the client sends with ObjectInputStream",
    "Go handler that runs nslookup for the domain in the query string",
    "Spring endpoint that verifies the HMAC of a webhook and stores the session token it issues",
    "C: validate the username with a regex and write it into the log",
    "Go: render user comments as HTML and redirect to the next parameter after saving",
    "Java servlet for a password reset with a random token and server-side sessions",
])
def test_languages_without_snippets_get_language_neutral_text(task):
    hardened = harden_prompt(task)
    assert hardened.stack.languages and not set(hardened.stack.languages) & {"python", "javascript"}
    text = hardened.render("text")
    assert not [name for name in FOREIGN_NAMES if name in text]
    assert "DO NOT" not in text  # the "do not" lines are Python and JavaScript code


def test_every_neutral_requirement_names_no_python_or_javascript_api():
    from bastion.prompt.catalog import load_knowledge

    knowledge = load_knowledge()
    holders = [*knowledge.themes.values(), knowledge.baseline, *knowledge.features.values()]
    for holder in holders:
        assert len(holder.neutral_requirements) == len(holder.requirements)
        for text in holder.neutral_requirements:
            assert not [name for name in FOREIGN_NAMES if name in text], (holder.id, text)


def test_python_and_javascript_prompts_keep_their_own_apis():
    text = harden_prompt("Flask endpoint that loads the YAML config the customer uploads").render("text")
    assert "yaml.safe_load" in text
