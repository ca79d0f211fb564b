"""The knowledge files reviewed: every theme complete, every pattern for Python and JavaScript present and sane."""

from __future__ import annotations

import ast

import pytest
import re2

from bastion.prompt.catalog import load_knowledge

KNOWLEDGE = load_knowledge()
THEMES = list(KNOWLEDGE.themes.values())
OWASP = re2.compile(r"^A(0[1-9]|10):2021-[A-Z].+$")
EXPECTED = {"file-upload", "database", "authentication", "sessions-tokens", "authorization", "file-paths",
            "shell-commands", "deserialization", "cryptography", "outbound-http", "html-xss", "redirects",
            "errors-logging", "secrets-config", "rate-limiting", "regex", "code-execution", "supply-chain",
            "memory-safety", "race-conditions", "tls-certificates", "csv-injection"}


def test_every_theme_of_the_issue_is_present():
    assert set(KNOWLEDGE.themes) == EXPECTED


@pytest.mark.parametrize("theme", THEMES, ids=lambda t: t.id)
def test_theme_is_complete(theme):
    assert theme.title and theme.summary
    assert len(theme.requirements) >= 3 and theme.avoid and theme.checks
    assert theme.cwe and all(0 < c < 2000 for c in theme.cwe)
    assert all(OWASP.match(o) for o in theme.owasp)
    assert theme.references and all(r.startswith("https://") for r in theme.references)
    assert any("cwe.mitre.org" in r or "owasp.org" in r for r in theme.references)


@pytest.mark.parametrize("theme", THEMES, ids=lambda t: t.id)
@pytest.mark.parametrize("language", ["python", "javascript"])
def test_theme_has_a_pattern_for_python_and_javascript(theme, language):
    if theme.languages and language not in theme.languages:
        pytest.skip(f"{theme.id} applies only to {theme.languages}")
    pattern = KNOWLEDGE.stacks[language].patterns.get(theme.id)
    assert pattern is not None and pattern.title and pattern.code.strip()


@pytest.mark.parametrize("stack", [s for s in KNOWLEDGE.stacks.values() if s.language == "python"], ids=lambda s: s.id)
def test_python_patterns_parse(stack):
    for pattern in stack.patterns.values():
        ast.parse(pattern.code)


def test_patterns_avoid_what_the_themes_forbid():
    """Code of every pattern, comments removed (they may name what not to do), uses none of the unsafe calls."""
    def code(language, comment):
        lines = (p.code for s in KNOWLEDGE.stacks.values() if s.language == language for p in s.patterns.values())
        return "\n".join(line.split(comment)[0] for text in lines for line in text.splitlines())

    python = code("python", "#")
    for forbidden in ("shell=True", "pickle.loads(", "yaml.load(", "md5(", "verify=False", "eval(", "os.system("):
        assert forbidden not in python, forbidden
    javascript = code("javascript", "//")
    for forbidden in ("Math.random()", "exec(`", "rejectUnauthorized: false", "createCipher(", "eval("):
        assert forbidden not in javascript, forbidden


def test_seed_fixes_are_the_patterns():
    """The seeds' fixed code is what the knowledge teaches: json over pickle, bcrypt, validator.isEmail, generic 500."""
    js = KNOWLEDGE.stacks["javascript"].patterns
    py = KNOWLEDGE.stacks["python"].patterns
    assert "json.loads(base64.b64decode" in py["deserialization"].code
    assert "validator.isEmail" in js["regex"].code
    assert "bcrypt" in js["authentication"].code
    assert "An internal server error occurred." in js["errors-logging"].code
    assert "path.sep" in js["file-paths"].code
