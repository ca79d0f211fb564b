"""A theme's requirements ordered by what the task names (issue 19, fifth round): the rule a task is about
comes first and survives the budget; common words reorder nothing."""

from __future__ import annotations

from bastion.prompt import harden_prompt
from bastion.prompt.catalog import load_knowledge
from bastion.prompt.relevance import by_relevance


def _section(hardened, theme_id):
    return next(s for s in hardened.sections if s.id == theme_id)


def test_the_generator_named_brings_the_csprng_rule_first():
    hardened = harden_prompt("seed math/rand to make the password reset codes in our Go service")
    first = _section(hardened, "cryptography").requirements[0]
    assert "CSPRNG" in first and "crypto/rand" in first


def test_the_message_passed_to_syslog_brings_the_format_string_rule_first():
    hardened = harden_prompt("syslog(LOG_ERR, msg) with the msg the client sent", language="c")
    assert "format string" in _section(hardened, "memory-safety").requirements[0]


def test_common_words_keep_the_written_order():
    written = list(load_knowledge().themes["file-upload"].requirements)
    assert by_relevance(written, "let the user upload a file with the request") == written
    hardened = harden_prompt("let the user upload a file with the request", language="python")
    kept = _section(hardened, "file-upload").requirements
    assert kept == written[:len(kept)]
