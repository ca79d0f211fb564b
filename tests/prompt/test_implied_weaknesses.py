"""What a request implies without naming it, and features named only as the place of a task (issue 19, fourth round).

The cases are written for these mechanisms, not taken from the frozen request sets: each pairs a sign of one
kind (an arithmetic expression, a program run by name, a route parameter, a Java type chosen by the data,
a format string) with a look-alike that must not raise the theme.
"""

from __future__ import annotations

import pytest

from bastion.prompt import harden_prompt
from bastion.prompt.catalog import load_knowledge
from bastion.prompt.themes import detect_features


@pytest.mark.parametrize("task, theme", [
    ("FastAPI endpoint: the client posts '(12+30)/7' and we answer 6", "code-execution"),
    ("Koa route where shoppers type a discount rule and we compute the price with it", "code-execution"),
    ("Dispatch to the controller method named in the request's 'action' field", "code-execution"),
    ("Node service that checks if a host the customer types is up using the nslookup binary", "shell-commands"),
    ("C daemon that calls popen() with the archive name from the request", "shell-commands"),
    ("Flask view GET /reports/<report_id> that returns the PDF", "authorization"),
    ("Express handler for /api/receipts/:receiptId", "authorization"),
    ("Spring controller that reads the Order with ObjectInputStream from the socket", "deserialization"),
    ("Jackson mapper that accepts polymorphic types in the event field", "deserialization"),
    ("Spring Security filter chain that checks the JWT on every request", "cryptography"),
    ("Spring Security filter chain that checks the JWT on every request", "authentication"),
    ("fprintf the username the client sent straight to stderr", "memory-safety"),
    ("Log the full request body in our Winston logger", "secrets-config"),
    ("Keep intermediate renders in a scratch folder under /tmp", "race-conditions"),
    ("Python worker that pip installs the packages listed in the job the user submits", "supply-chain"),
    ("Poll the status URL each customer registered and store the response code", "outbound-http"),
    ("Put the visitor's name in the page heading of the welcome screen", "html-xss"),
    # fifth round, by the labelling rules: API keys we issue are bearer tokens; an archive unpacked or media
    # converted is work sized by the sender; C named by its library calls; a field read from a packet indexes memory
    ("Generate an API key for each developer account", "sessions-tokens"),
    ("Unpack the tarball a partner uploads into their workspace", "rate-limiting"),
    ("make a thumbnail of every uploaded clip with ffmpeg", "rate-limiting"),
    ("strlen on the value getenv returns and copy it into the path", "memory-safety"),
    ("std::array lookup with the offset field of the incoming message", "memory-safety"),
])
def test_an_implied_weakness_is_named(task, theme):
    assert theme in harden_prompt(task).theme_ids


@pytest.mark.parametrize("task, absent", [
    ("C program that derives a session key from the shared secret", "sessions-tokens"),
    ("Where should we keep the Twilio secret key in a Flask app", "cryptography"),
    ("Bump lodash and lock our npm dependency versions", "race-conditions"),
    ("Write the monthly totals dataframe to totals.xlsx", "deserialization"),
    ("Go: fmt.Printf the order total", "memory-safety"),
    ("Serve /themes/<name>.css from the static folder", "authorization"),
])
def test_a_look_alike_does_not_raise_the_theme(task, absent):
    assert absent not in harden_prompt(task).theme_ids


def test_printf_names_c_only_when_no_language_is_named():
    assert harden_prompt("printf the line the client sent").stack.languages == ["c"]
    assert harden_prompt("log the total with printf in Java").stack.languages == ["java"]


@pytest.mark.parametrize("task, context", [
    ("Write a login endpoint for our Flask app", False),
    ("Cap failed password attempts in our Koa login", True),
    ("Find the account by the email the login form posts", True),
    ("Add an export button to the admin page", True),
])
def test_a_feature_named_as_the_place_of_the_task_is_context(task, context):
    found = {f.id: f for f in detect_features(task)}
    feature = "admin" if "admin" in task else "login"
    assert found[feature].context is context


def test_a_login_named_as_context_implies_no_session():
    built = harden_prompt("Write a login endpoint for our Express app")
    place = harden_prompt("Cap failed password attempts in our Express login")
    assert "sessions-tokens" in built.theme_ids
    assert "sessions-tokens" not in place.theme_ids and "rate-limiting" in place.theme_ids
    assert any(s.id == "feature-login" for s in place.sections)  # its requirements still apply to the change


#: The 2024 CWE Top 25 (https://cwe.mitre.org/top25/archive/2024/2024_cwe_top25.html); CWE-20 is the endpoint
#: baseline every web prompt carries.
CWE_TOP_25_2024 = (79, 787, 89, 352, 22, 125, 78, 416, 862, 434, 94, 20, 77, 287, 269, 502, 200, 863, 918, 119,
                   476, 798, 190, 400, 306)


def test_every_cwe_of_the_top_25_has_a_theme():
    covered = {cwe for theme in load_knowledge().themes.values() for cwe in theme.cwe}
    assert not [cwe for cwe in CWE_TOP_25_2024 if cwe not in covered]


@pytest.mark.parametrize("task", [
    "Rename the db module to storage and fix the imports",
    "Make the upload button look like the design",
    "Add dark mode to the admin dashboard",
    "Write unit tests for the password strength meter component",
    "Add a loading spinner while the login request is pending",
])
def test_a_change_of_looks_names_no_theme(task):
    assert harden_prompt(task).theme_ids == []


def test_a_strong_sign_survives_a_change_of_looks():
    assert "authorization" in harden_prompt("Write a Jest test that the admin route returns 403 for normal users").theme_ids
    assert "memory-safety" in harden_prompt("Format a log message in C with the username").theme_ids


def test_our_own_upload_to_storage_is_not_a_file_upload():
    assert "file-upload" not in harden_prompt("retry the S3 upload three times with backoff").theme_ids
    assert "file-upload" in harden_prompt("let users upload receipts and keep them in S3").theme_ids
