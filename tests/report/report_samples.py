"""Reports made of real findings, shared by the report-format tests, and hypothesis strategies for random ones."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import strategies as st

from bastion.core.model import (
    Confidence,
    Endpoint,
    Finding,
    Fix,
    Location,
    Note,
    Rule,
    Severity,
    TextEdit,
    TraceStep,
)
from bastion.core.result import Report, ScanStats
from tests.project_support import shared_dir

SCHEMA_PATH = shared_dir() / "schemas" / "sarif-schema-2.1.0.json"

SQL_RULE = Rule(
    id="sql-injection",
    title="SQL query built from untrusted input",
    engine="python",
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    cwe=(89,),
    what="A SQL statement assembled from request data by string formatting or concatenation.",
    why="An attacker who controls part of the query text can read or change any data the connection can.",
    vulnerable='cur.execute("SELECT * FROM users WHERE name = \'%s\'" % request.args["name"])',
    fixed='cur.execute("SELECT * FROM users WHERE name = %s", (request.args["name"],))',
    languages=("python",),
    owasp="A03:2021-Injection",
    references=("https://cwe.mitre.org/data/definitions/89.html", "OWASP SQL Injection Prevention Cheat Sheet"),
    fix_guidance="Pass values as query parameters; never format them into the SQL text.",
)

PICKLE_RULE = Rule(
    id="unsafe-deserialization",
    title="Untrusted data deserialized with pickle",
    engine="python",
    severity=Severity.CRITICAL,
    confidence=Confidence.HIGH,
    cwe=(502,),
    what="pickle.loads on data that comes from a request (a cookie).",
    why="Unpickling runs code chosen by whoever wrote the bytes.",
    vulnerable="session = pickle.loads(base64.b64decode(request.cookies['session']))",
    fixed="session = json.loads(request.cookies['session'])",
    languages=("python",),
    owasp="A08:2021-Software and Data Integrity Failures",
)


def sql_finding(path: str = "app/views.py", line: int = 14) -> Finding:
    trace = (
        TraceStep(Location(path, line - 2, 12, line - 2, 33), "request.args['name'] read here", "source"),
        TraceStep(Location(path, line - 1, 5, line - 1, 50), "formatted into query", "step"),
        TraceStep(Location(path, line, 5, line, 23), "cur.execute(query)", "sink"),
    )
    fix = Fix(
        "Use a query parameter",
        (TextEdit(path, line, 17, line, 22, 'q, (name,)'),),
    )
    return SQL_RULE.finding(
        "request.args['name'] reaches cur.execute() without parameters",
        Location(path, line, 5, line, 23),
        snippet="    cur.execute(query)",
        trace=trace,
        fix=fix,
    ).with_fingerprint(0)


def pickle_finding() -> Finding:
    return PICKLE_RULE.finding(
        "cookie 'session' is unpickled",
        Location("app/session.py", 7, 15, 7, 70),
        snippet="session = pickle.loads(base64.b64decode(request.cookies['session']))",
    ).with_fingerprint(0)


def secret_finding() -> Finding:
    """A secret finding: the snippet is redacted by the engine, and the reports must show only that."""
    return Finding(
        rule_id="hardcoded-secret",
        title="Hard-coded credential",
        message="AWS access key id in source",
        severity=Severity.HIGH,
        confidence=Confidence.MEDIUM,
        location=Location("config/settings.py", 3, 14, 3, 34),
        engine="secrets",
        language="python",
        cwe=(798,),
        snippet='AWS_KEY = "AKIA****************"',
        fingerprint_key="digest-of-the-secret",
    ).with_fingerprint(0)


def endpoint_finding() -> Finding:
    url = "http://127.0.0.1:8000/api/search?q=x"
    return Finding(
        rule_id="error-details-exposed",
        title="Stack trace in an error response",
        message="A 500 response carries a Python traceback",
        severity=Severity.MEDIUM,
        confidence=Confidence.HIGH,
        location=Location(url, 1),
        engine="dast",
        cwe=(209,),
        endpoint=Endpoint("GET", url, "q", request="GET /api/search?q=%27 HTTP/1.1", response="HTTP/1.1 500\n\nTraceback"),
    ).with_fingerprint(0)


def unicode_finding() -> Finding:
    """Hostile text: terminal escapes, bidi overrides, markup, HTML, backticks, XML-illegal characters, CJK."""
    return Finding(
        rule_id="redos",
        title="Regex with catastrophic backtracking [bold]x[/bold]",
        message="pattern (a+)+$ in 検証.py \x1b[2J\x07 <script>alert(1)</script> @octocat | ``` \u202e",
        severity=Severity.LOW,
        confidence=Confidence.LOW,
        location=Location("src/路径 with space/検証.py", 2, 1),
        engine="python",
        language="python",
        cwe=(1333, 1333),
        snippet="EMAIL = re.compile(r'^(a+)+$')  # ``` \x1b[31mred\x00 \ufffe \udc80 \u202eevil",
        fix_guidance="Use a pattern without nested quantifiers.\r\nOr RE2.",
        properties={"pattern": "(a+)+$", 3: {1, 2}, "ratio": float("nan"), "path": Path("a/b")},
    ).with_fingerprint(0)


def full_report() -> Report:
    findings = [sql_finding(), pickle_finding(), secret_finding(), endpoint_finding(), unicode_finding()]
    return Report(
        root="/tmp/project",
        findings=sorted(findings, key=Finding.sort_key),
        rules={r.id: r for r in (SQL_RULE, PICKLE_RULE)},
        notes=[
            Note("error", "broken.py: syntax error at line 3; file not analysed", path="broken.py", reason="python"),
            Note("skipped", "skipped data.bin: binary", path="data.bin", reason="binary"),
            Note("warning", "advisory database is 40 days old"),
        ],
        stats=ScanStats(files_scanned=42, lines_scanned=3100, files_from_cache=30, skipped=Counter(binary=1, too_large=2),
                        duration_seconds=1.25, engines=["dast", "python", "secrets"]),
        suppressed=2,
        baselined=1,
        below_threshold=4,
        outside_diff=0,
        tool_version="0.1.0",
    )


def empty_report() -> Report:
    return Report(root="/tmp/project", findings=[], rules={}, tool_version="0.1.0")


def sarif_validator():
    """A validator for the SARIF 2.1.0 schema beside the repository, or a skip saying where it was looked for."""
    jsonschema = pytest.importorskip("jsonschema")
    if not SCHEMA_PATH.is_file():
        pytest.skip(f"SARIF schema not found at {SCHEMA_PATH}")
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


# --- hypothesis strategies -------------------------------------------------------------------------------

#: Any code point, and often one of those that break outputs: escapes, NUL, lone surrogates, bidi, markup.
_alphabet = st.characters(exclude_categories=()) | st.sampled_from(
    ["\x1b", "\x00", "\x07", "\r", "\n", "\t", "\ud800", "\udc80", "\u202e", "\ufffe", "`", "<", "&", "[", "]", "|", "@", "#", " "]
)
_any_text = st.text(_alphabet, max_size=40)
_ints = st.integers(min_value=-3, max_value=10**6)
_locations = st.builds(
    Location,
    path=_any_text,
    line=_ints,
    column=_ints,
    end_line=st.none() | _ints,
    end_column=st.none() | _ints,
)
_steps = st.builds(TraceStep, location=_locations, note=_any_text, kind=st.sampled_from(["source", "step", "sink"]) | _any_text)
_edits = st.builds(TextEdit, path=_any_text, line=_ints, column=_ints, end_line=_ints, end_column=_ints, replacement=_any_text)
_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | _any_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_any_text, inner, max_size=3),
    max_leaves=8,
)
findings = st.builds(
    Finding,
    rule_id=st.sampled_from(["sql-injection", "unsafe-deserialization", "path-traversal"]) | _any_text,
    title=_any_text,
    message=st.text(_alphabet, max_size=300),
    severity=st.sampled_from(list(Severity)),
    confidence=st.sampled_from(list(Confidence)),
    location=_locations,
    engine=st.sampled_from(["python", "secrets", "dast"]) | _any_text,
    language=st.none() | _any_text,
    cwe=st.lists(st.integers(min_value=1, max_value=2000), max_size=3).map(tuple),
    owasp=st.none() | _any_text,
    snippet=st.text(_alphabet, max_size=200),
    trace=st.lists(_steps, max_size=4).map(tuple),
    fix_guidance=_any_text,
    fix=st.none() | st.builds(Fix, description=_any_text, edits=st.lists(_edits, max_size=3).map(tuple)),
    endpoint=st.none() | st.builds(Endpoint, method=_any_text, url=_any_text, parameter=st.none() | _any_text,
                                   request=st.none() | _any_text, response=st.none() | _any_text),
    properties=st.dictionaries(_any_text, _json_values, max_size=3),
    fingerprint=_any_text,
)
notes = st.builds(Note, kind=st.sampled_from(["failure", "error", "warning", "skipped", "info"]) | _any_text, message=_any_text,
                  path=st.none() | _any_text, reason=st.none() | _any_text)
reports = st.builds(
    Report,
    root=st.just("/tmp/project"),
    findings=st.lists(findings, max_size=6),
    rules=st.just({SQL_RULE.id: SQL_RULE}),
    notes=st.lists(notes, max_size=3),
    suppressed=st.integers(min_value=0, max_value=5),
    fail_on=st.none() | st.sampled_from(list(Severity)),
    tool_version=st.sampled_from(["", "0.1.0"]),
)
