"""Prompts that fit the task: new themes, the word budget, the request's own stack and artefact."""

from __future__ import annotations

import json

import pytest

from bastion.prompt import harden_prompt
from bastion.prompt.budget import WEB_BONUS, budget_for, short_form, words


@pytest.mark.parametrize("task, theme", [
    ("Flask endpoint that takes a math expression from the query and evals it", "code-execution"),
    ("run the code the user pastes and show the output", "code-execution"),
    ("dynamically import the handler class named in the request", "code-execution"),
    ("script that installs whatever package the user names with pip install", "supply-chain"),
    ("Write a C function that copies the user's name into a fixed buffer", "memory-safety"),
    ("write to a temporary file and then move it into place", "race-conditions"),
    ("our requests call fails on a self-signed certificate, make it work", "tls-certificates"),
    ("export the orders to a CSV file for the accountant", "csv-injection"),
    ("add an endpoint that pings the link the user submits", "outbound-http"),
    ("build the GitHub API URL from the username and return the repos", "outbound-http"),
    ("strip script tags from the bio before saving", "html-xss"),
])
def test_what_a_request_implies_is_named(task, theme):
    assert theme in harden_prompt(task).theme_ids


@pytest.mark.parametrize("task, absent", [
    ("Ask for the user's name, store it in a variable and print a greeting", "database"),
    ("List the files in a folder and print the file name to the screen", "html-xss"),
    ("Read the database credentials from environment variables and connect to postgres", "authentication"),
    ("Go HTTP handler that runs the command given in the query with exec.Command", "code-execution"),
    ("Parse Apache access log lines into fields in Python", "memory-safety"),
])
def test_padding_the_issue_names_is_gone(task, absent):
    assert absent not in harden_prompt(task).theme_ids


def test_budget_grows_with_themes_up_to_a_cap():
    assert budget_for(1) == 300 and budget_for(1) + WEB_BONUS == 350  # the issue's one-theme web prompt
    assert 300 < budget_for(3) < budget_for(4) <= budget_for(10) == int(300 * 1.6)
    assert budget_for(1, 500) == 500


@pytest.mark.parametrize("task", [
    "Write a JWT-based login API with registration, password reset by email, rate limiting, an admin page to "
    "ban users, file uploads of avatars and a CSV export of all users",
    "Create a Node.js endpoint that uploads a user's profile picture.",
])
def test_prompts_stay_within_their_budget_and_name_what_did_not_fit(task):
    hardened = harden_prompt(task)
    text = hardened.render("text")
    limit = budget_for(len(hardened.themes)) + WEB_BONUS
    assert words(text) <= limit * 1.05  # headings are estimated, not counted exactly
    if len(hardened.sections) > 3:
        assert hardened.also_check and "ALSO CHECK" in text
        for line in hardened.also_check:
            assert line in text and words(line) <= 15


def test_a_smaller_budget_gives_a_shorter_prompt():
    task = "Express login route with bcrypt, sessions and a password reset email"
    long = harden_prompt(task).render("text")
    short = harden_prompt(task, word_budget=150).render("text")
    assert words(short) < words(long)
    with pytest.raises(ValueError):
        harden_prompt(task, word_budget=20)


def test_short_form_keeps_the_first_clause():
    assert short_form("Set a timeout: always, on every call.") == "Set a timeout"
    assert words(short_form(" ".join(["word"] * 40))) == 15  # fourteen words and an ellipsis


@pytest.mark.parametrize("task, language", [
    ("Write a C function that copies the user's name into a fixed buffer", "c"),
    ("Spring Boot endpoint that finds users by last name with a JDBC query", "java"),
    ("Go HTTP handler that queries the users table by email with database/sql", "go"),
])
def test_no_snippets_in_a_language_the_request_does_not_use(task, language):
    hardened = harden_prompt(task)
    assert hardened.stack.languages == [language]
    assert not [p for s in hardened.sections for p in s.patterns]
    assert "```python" not in hardened.render("text") and "```javascript" not in hardened.render("text")


def test_memory_safety_applies_to_c_only():
    assert "memory-safety" in harden_prompt("C server that reads a request into a buffer").theme_ids
    assert "memory-safety" not in harden_prompt("Python server that reads a request into a buffer").theme_ids


def test_no_picture_example_for_a_pdf_upload():
    pdf = harden_prompt("Flask endpoint to upload PDF contracts").render("text")
    picture = harden_prompt("Flask endpoint to upload profile pictures").render("text")
    assert "image/png" in picture or "PNG" in picture
    assert "PNG" not in pdf and "JPEG" not in pdf


def _parent_of_projects(root):
    for name, deps in (("shop", {"express": "^4"}), ("admin", {"koa": "^2"})):
        (root / name).mkdir()
        (root / name / "package.json").write_text(json.dumps({"dependencies": deps}), "utf-8")
        (root / name / "app.js").write_text("", "utf-8")
    (root / "api").mkdir()
    (root / "api" / "requirements.txt").write_text("flask\ndjango\nfastapi\n", "utf-8")
    for n in range(5):
        (root / "api" / f"m{n}.py").write_text("", "utf-8")
    return root


def test_the_request_beats_the_folder_it_is_run_from(tmp_path):
    root = _parent_of_projects(tmp_path)
    named = harden_prompt("Express route that returns the user's orders", root=root)
    assert named.stack.languages == ["javascript"] and named.stack.frameworks == ["express"]
    assert not named.stack.assumptions
    unnamed = harden_prompt("endpoint that returns the user's orders", root=root)
    assert len(unnamed.stack.frameworks) <= 1  # an ambiguous parent folder names no framework


@pytest.mark.parametrize("task, feature, implied", [
    ("Add a search endpoint for products in Flask", "search", {"database", "rate-limiting"}),
    ("Implement a forgot password flow", "password-reset", {"authentication", "cryptography", "rate-limiting"}),
    ("Receive Stripe webhooks in Express", "webhook-receiver", {"cryptography", "secrets-config"}),
    ("Let a user delete their account", "account-deletion", {"authorization", "authentication"}),
    ("Admin page to ban users", "admin", {"authorization"}),
    ("Stripe checkout for our shop", "payments", {"secrets-config"}),
])
def test_features_add_their_requirements_and_imply_their_themes(task, feature, implied):
    hardened = harden_prompt(task)
    assert implied <= set(hardened.theme_ids)
    section = next(s for s in hardened.sections if s.id == f"feature-{feature}")
    assert section.requirements  # ranked first, so the budget never drops them all
    assert section.requirements[0] in hardened.render("text")


def test_a_url_download_is_not_the_download_feature():
    hardened = harden_prompt("Python CLI that downloads a file from a URL given on the command line")
    assert not any(s.id == "feature-download" for s in hardened.sections)


def test_cli_and_config_set_the_budget(tmp_path, capsys):
    from bastion.interfaces.cli import main

    task = "Express login route with bcrypt, sessions and a password reset email"
    assert main(["prompt", task, "--root", str(tmp_path), "--words", "150"]) == 0
    short = capsys.readouterr().out
    (tmp_path / "bastion.toml").write_text("[prompt]\nwords = 600\n", "utf-8")
    assert main(["prompt", task, "--root", str(tmp_path)]) == 0
    long = capsys.readouterr().out
    assert words(short) < words(long)
    (tmp_path / "bastion.toml").write_text("[prompt]\nwords = 5\n", "utf-8")
    assert main(["prompt", task, "--root", str(tmp_path)]) == 2
    assert "prompt.words" in capsys.readouterr().err


@pytest.mark.parametrize("folder", ["requests", "heldout", "heldout3", "heldout4"])
def test_the_frozen_request_sets_are_unchanged(folder):
    """The sets of issue 19 were frozen before the changes they measure; an edit would void the numbers."""
    from pathlib import Path
    import hashlib

    root = Path(__file__).parents[2] / "benchmarks" / "prompt" / folder
    pinned = dict(reversed(line.split()) for line in (root / "digest.txt").read_text().splitlines())
    assert set(pinned) == {"python.yaml", "javascript.yaml", "other.yaml"}
    assert pinned == {name: hashlib.sha256((root / name).read_bytes()).hexdigest() for name in pinned}
