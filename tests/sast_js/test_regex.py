"""The shared ReDoS analysis (bastion.sast.regex / bastion.sast.redos) against the classic catalogues.

Every flagged pattern comes with an attack string; the slow test runs it
through Python's own ``re`` in a subprocess and checks that it does not finish
(exponential at 40 pumps, polynomial at 50,000), while the safe patterns finish
at once on long hostile inputs.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bastion.sast import regex

EXPONENTIAL = [
    r"(a+)+b",  # OWASP
    r"^(a+)+$",
    r"([a-zA-Z]+)*$",
    r"(a|aa)+c",
    r"(a|a?)+c",
    r"(a|a)*c",
    r"^(([a-z])+.)+[A-Z]([a-z])+$",
    r"^([a-zA-Z0-9_.-])+@(([a-zA-Z0-9-])+.)+([a-zA-Z0-9]{2,4})+$",  # the seed's e-mail check
    r"^([a-zA-Z0-9_.+-])+@(([a-zA-Z0-9-])+.)+([a-zA-Z0-9]{2,4})+$",
    r"^(\w+\s?)*$",
    r"(<[^>]*>|\s+)+x",
    r"^(\d+)+$",
    r"^([a-z]+\d*)+$",
    r"^([a-z0-9]+-?)*$",
    r"(x+x+)+y",
    r"((ab)*)*c",
    r"(a*)*b",
    r"^(\w+\.?)+@",
    r"^(?:\\[\da-fA-F]{1,6}[\x20\t\r\n\f]?|\\[^\r\n\f]|[\w-]|[^\0-\x7f])+$",  # jQuery 3.7's ridentifier
]
POLYNOMIAL = [
    r"^[.-]*(.+?)[.-]*$",  # NodeBB 1.4 tag trimming (cubic: three overlapping repeats)
    r"\[([^\]]+)\]\((https:\/\/github\.com\/([^/]+)\/([^/)]+)[^)]*)\)",  # fastify's link checker
    r"\d+\d+x",
    r"^\d+\d+$",
    r".*.*=x",
    r"^\s*\w+\s*\w+\s*$",
    r"^(.*a){12}$",  # OWASP: (.*a){x} for x > 10
]
SAFE = [
    r"(a|ab)*c",  # unambiguous: every b belongs to the a before it
    r"^[a-zA-Z0-9_.+-]+@[a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)*\.[a-zA-Z]{2,}$",
    r"^(\d{1,3}\.){3}\d{1,3}$",
    r"^\w+(?:\s*,\s*\w+)*$",
    r"[^a-z0-9]+",
    r"^(\d+\.)+\d+$",
    r"^[a-z0-9-]+$",
    r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
    r"^[0-9a-f]{24}$",
    r"^#?([a-f0-9]{6}|[a-f0-9]{3})$",
    r"^(?:[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*)@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$",
    r"^(?:\+?1[-. ]?)?\(?([0-9]{3})\)?[-. ]?([0-9]{3})[-. ]?([0-9]{4})$",  # validator-style phone
    r"^https?://[^\s/$.?#].[^\s]*$",
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$",
    # Nothing after the ambiguous repeat can fail: the first path succeeds.
    r"(a|a)*",
    r"^(a+)+",
    r"\d+\d+",
    r"(\w+)+[^x]?",
    r"^#((?:\\[\da-f]{1,6}[\x20\t\r\n\f]?|\\[^\r\n\f]|[\w-])+)",  # jQuery's ID selector
    r"^\.((?:\\[\da-f]{1,6}[\x20\t\r\n\f]?|\\[^\r\n\f]|[\w-])+)",
    r"^(?:\\[\da-f]{1,6}[\x20\t\r\n\f]?|\\[^\r\n\f]|[\w-]|[^\x00-\x7f])+",
    r"^[\x20\t\r\n\f]*([>+~]|[\x20\t\r\n\f])[\x20\t\r\n\f]*",
]


@pytest.mark.parametrize("pattern", EXPONENTIAL)
def test_exponential_patterns_are_found(pattern):
    found = regex.redos(pattern)
    assert found is not None and found.kind == "exponential", pattern


@pytest.mark.parametrize("pattern", POLYNOMIAL)
def test_polynomial_patterns_are_found(pattern):
    found = regex.redos(pattern)
    assert found is not None and found.kind == "polynomial", pattern


@pytest.mark.parametrize("pattern", SAFE)
def test_safe_patterns_are_clean(pattern):
    assert regex.redos(pattern) is None, pattern


@pytest.mark.parametrize("pattern", EXPONENTIAL + POLYNOMIAL)
def test_attack_strings_fail_to_match(pattern):
    found = regex.redos(pattern)
    for pumps in (1, 2, 5):
        assert re.match(pattern, found.prefix + found.pump * pumps + found.suffix) is None


def test_javascript_reversed_range_is_read_literally():
    assert regex.redos(r"^([a-zA-Z0-9_.-+])+@(([a-zA-Z0-9-])+.)+([a-zA-Z0-9]{2,4})+$") is not None


def test_huge_patterns_are_not_judged():
    assert regex.redos("(a|b)" * 2000) is None
    assert regex.redos("x" * 10_000) is None
    # 120 overlapping positions in one loop: the squared automaton exceeds the work budget, so no verdict
    assert regex.redos("(" + "|".join("[a-%s]x?" % chr(98 + i % 24) for i in range(60)) + ")*!") is None


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="()[]{}*+?|.\\^$-aZ09,:=!<>dws", max_size=40))
def test_found_attacks_really_fail(pattern):
    found = regex.redos(pattern)
    if found is not None:
        assert re.match(pattern, found.prefix + found.pump * 2 + found.suffix) is None


# --- measurement: Python's own re on the attack strings ---------------------------------------------

_RUNNER = """
import json, re, sys, time
pattern, texts = json.loads(sys.stdin.read())
start = time.perf_counter()
for text in texts:
    re.match(pattern, text)
print(time.perf_counter() - start)
"""


def _start(pattern: str, *texts: str) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-c", _RUNNER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    process.stdin.write(json.dumps([pattern, texts]))
    process.stdin.close()
    return process


def _finished(process: subprocess.Popen, timeout: float) -> bool:
    try:
        process.wait(timeout)
        return True
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        return False


def _hostile() -> list[str]:
    """Long inputs of the characters the catalogue uses, each ending in a character that breaks a match."""
    return [unit * 20_000 + end for unit in ("a", "0", " ", "a.", "a-", "a@", "\\a", "aa1", "<a>") for end in ("!", "\n", "")]


def _run_all(jobs: list[tuple[str, list[str]]], timeout: float) -> list[str]:
    """Run each (pattern, texts) in its own interpreter, two at a time (no other load skews the clock); patterns that timed out."""
    timed_out = []
    for at in range(0, len(jobs), 2):
        running = [(pattern, _start(pattern, *texts)) for pattern, texts in jobs[at : at + 2]]
        timed_out += [pattern for pattern, process in running if not _finished(process, timeout)]
    return timed_out


@pytest.mark.slow
def test_flagged_patterns_really_backtrack():
    jobs = []
    for pattern in EXPONENTIAL + POLYNOMIAL:
        found = regex.redos(pattern)
        pumps = 40 if found.kind == "exponential" else 200_000
        jobs.append((pattern, [found.prefix + found.pump * pumps + found.suffix]))
    assert _run_all(jobs, 2.0) == EXPONENTIAL + POLYNOMIAL


@pytest.mark.slow
def test_safe_patterns_run_in_linear_time():
    assert _run_all([(pattern, _hostile()) for pattern in SAFE], 20.0) == []


def test_javascript_flags_change_the_answer():
    rheaders = r"^(.*?):[ \t]*([^\r\n]*)$"  # jQuery's header parser, used with /mg
    assert regex.redos(rheaders) is not None
    assert regex.redos(rheaders, regex.js_flags("mg")) is None
    assert regex.redos(r"^([a-z]+[A-Z]+)+$") is None
    assert regex.redos(r"^([a-z]+[A-Z]+)+$", regex.js_flags("i")) is not None


def test_python_dollar_matches_before_a_final_newline():
    trim = r"^[.-]*(.+?)[.-]*$"  # NodeBB's tag trimmer: only a newline stops .+?, and Python's $ accepts a final one
    in_python = regex.redos(trim)
    assert in_python is not None and in_python.suffix == "\n!"
    in_javascript = regex.redos(trim, newline_end=False)
    assert in_javascript is not None and in_javascript.kind == "polynomial" and in_javascript.suffix == "\n"
