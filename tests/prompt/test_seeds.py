"""The seed articles' vague/proactive prompt pairs: hardening the vague one covers the proactive one."""

from __future__ import annotations

from bastion.prompt import harden_prompt


def _covers(text: str, needles: list[str]) -> list[str]:
    lower = text.lower()
    return [n for n in needles if n.lower() not in lower]


def test_profile_picture_upload():
    hardened = harden_prompt("Create a Node.js endpoint that uploads a user’s profile picture.")
    assert hardened.theme_ids == ["file-upload"]
    assert hardened.stack.languages == ["javascript"] and hardened.stack.frameworks == ["express"]
    text = hardened.render("text")
    # the proactive prompt: Express + multer, only image/png and image/jpeg, 2MB, file-size and file-type errors
    assert not _covers(text, ["Express", "multer", "image/png", "image/jpeg", "2 MB", "LIMIT_FILE_SIZE",
                              "graceful errors", "413", "415"])


def test_get_user_by_id():
    hardened = harden_prompt("Write a function to get a user by their ID.")
    # a record fetched by an id from the caller is also an access question (IDOR, CWE-639), ranked second
    assert hardened.theme_ids == ["database", "authorization"]
    text = hardened.render("text")
    # the proactive prompt: Node.js, PostgreSQL via pg, parameterized queries against SQL injection; a request
    # naming no language gets the requirements without a snippet in a language it may not use
    assert not _covers(text, ["parameterized quer", "SQL", "CWE-89"])
    assert "```" not in text
    in_node = harden_prompt("Write a function to get a user by their ID.", language="javascript").render("text")
    assert not _covers(in_node, ["parameterized quer", "require('pg')", "$1", "SQL", "CWE-89"])


def test_fastapi_items_endpoint():
    hardened = harden_prompt("Write a FastAPI endpoint that adds products with a POST request to `/items`.")
    assert "database" in hardened.theme_ids and hardened.stack.frameworks == ["fastapi"]
    text = hardened.render("text")
    # the proactive prompt: JWT auth, strict validation of name/description, SQL injection and XSS measures,
    # positive float price
    assert not _covers(text, ["JWT", "HTTPBearer", "algorithms=[\"HS256\"]", "max_length", "gt=0",
                              "parameterized", "escape it on output", "XSS"])


def test_login_api_prompt_from_the_second_article():
    hardened = harden_prompt("write me a login API")
    assert {"authentication", "sessions-tokens", "rate-limiting"} <= set(hardened.theme_ids)
    text = hardened.render("text")
    assert not _covers(text, ["argon2", "bcrypt", "compare_digest", "algorithms", "429"])


def test_article_weakness_classes_are_recognised():
    cases = {
        "read the file requested by the user": "file-paths",
        "run the command the user typed with os.system": "shell-commands",
        "load the session from a cookie with pickle": "deserialization",
        "hash the password with md5": "cryptography",
        "validate the email address with a regex": "regex",
        "return the error message to the client when the API call fails": "errors-logging",
    }
    for task, theme in cases.items():
        assert theme in harden_prompt(task).theme_ids, task


def test_no_persona_unless_asked_and_scan_check_always():
    plain = harden_prompt("upload an avatar")
    assert plain.persona is None and "security engineer" not in plain.render("text")
    assert "bastion scan" in plain.render("text")
    assert "security engineer" in harden_prompt("upload an avatar", persona=True).render("text")
