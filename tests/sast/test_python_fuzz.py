"""The engine never crashes and never hangs on generated or mutated Python (hypothesis)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bastion.core.engine_api import FileContext, SourceFile
from bastion.core.model import Finding, Note
from bastion.sast import regex
from bastion.sast.python.engine import PythonEngine

from .conftest import FIXTURES

SEEDS = [p.read_bytes() for p in sorted(FIXTURES.glob("*.py"))]
TOKENS = [
    b"def ", b"class ", b"(", b")", b"[", b"]", b"{", b"}", b":", b"\n", b"    ", b"=", b"+", b"%", b"f\"", b"t'",
    b"\"", b"'", b"{x}", b"if ", b"else", b"for ", b" in ", b"return ", b"request.args['a']", b"os.system(",
    b"import os\n", b"from flask import request\n", b"lambda: ", b"*", b"**", b"@app.route('/')\n", b"try:\n", b"except A, B:\n",
    b"\\", b"#", b"yield ", b"await ", b"async ", b"with ", b" as ", b",", b".", b"x", b"0x1F", b"1e9", b"\x00", b"\xff",
]


def run(data: bytes) -> list:
    file = SourceFile(path="fuzz.py", abspath="fuzz.py", language="python", data=data)
    results = list(PythonEngine().check_file(FileContext(file, {})))
    assert all(isinstance(r, (Finding, Note)) for r in results)
    return results


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(TOKENS), max_size=120))
def test_token_soup(tokens):
    run(b"".join(tokens))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SEEDS), st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 40), st.binary(max_size=8)), max_size=6))
def test_mutated_fixtures(seed, mutations):
    data = bytearray(seed)
    for position, length, replacement in mutations:
        at = position % (len(data) + 1)
        data[at : at + length] = replacement
    run(bytes(data))


def test_pathological_nesting_is_bounded():
    run(b"x = " + b"(" * 5000 + b"1" + b")" * 5000 + b"\n")
    run(b"x = " + b"[" * 3000 + b"]" * 3000 + b"\n")
    run(b"def f():\n" + b"".join(b"    " * i + b"if x:\n" for i in range(1, 300)) + b"    " * 300 + b"pass\n")
    run(b"s = '" + b"a" * 200_000 + b"'\nq = s + s + s + s\n" * 3)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="()[]{}*+?|.\\^$-aZ09,:=!<>", max_size=60))
def test_regex_analysis_never_crashes(pattern):
    regex.redos(pattern)
    regex.guard_clears(pattern)
