"""The JavaScript engine end to end: seed acceptance, options, hostile input."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bastion
from bastion.core.config import Config, ConfigError
from bastion.core.engine_api import FileContext, SourceFile
from bastion.core.model import Finding, Severity
from bastion.sast.javascript.engine import JavaScriptEngine, module_summary, validate_options
from bastion.sast.javascript.rules import load_rules

ROOT = Path(__file__).resolve().parents[2]
CONFIG = Config(min_severity=Severity.INFO, fail_on=None, report_unused_suppressions=False)


def scan(path: Path) -> set[tuple[str, int]]:
    report = bastion.scan([path], config=CONFIG, engines=["javascript"], use_cache=False, jobs=1)
    return {(f.rule_id, f.location.line) for f in report.findings}


def check(source: str, path: str = "app.js", language: str = "javascript", options: dict | None = None) -> list:
    file = SourceFile(path, path, language, source.encode())
    return list(JavaScriptEngine().check_file(FileContext(file, options or {})))


def test_vulnerable_example_app_is_found() -> None:
    found = {rule for rule, _ in scan(ROOT / "examples/vulnerable-app/web/server.js")}
    assert {"path-traversal", "redos", "error-details-exposed", "unrestricted-upload"} <= found


def test_fixed_example_app_is_clean() -> None:
    assert scan(ROOT / "examples/fixed-app/web/server.js") == set()


def test_rules_are_documented() -> None:
    rules = load_rules()
    assert len(rules) >= 30
    for rule in rules.values():
        assert rule.what and rule.why and rule.vulnerable and rule.fixed and rule.references and rule.cwe and rule.owasp


def test_taint_findings_carry_a_trace() -> None:
    findings = [f for f in check("app.get('/a', (req, res) => { const p = req.query.p; res.sendFile(p); });") if isinstance(f, Finding)]
    assert findings and findings[0].trace[0].kind == "source" and findings[0].trace[-1].kind == "sink"


def test_typed_number_parameter_is_not_an_injection_vector() -> None:
    source = "class C { @Get() f(@Param('id') id: number) { return db.query(`SELECT * FROM t WHERE id = ${id}`); } }"
    findings = [f for f in check(source, "c.ts", "typescript") if isinstance(f, Finding)]
    assert not [f for f in findings if f.rule_id == "sql-injection" and f.confidence.value == "high"]


@pytest.mark.parametrize("bad", [{"nope": 1}, {"max-rounds": 0}, {"models": "x"}, {"max-file-bytes": True}])
def test_bad_options_are_config_errors(bad: dict) -> None:
    with pytest.raises(ConfigError):
        validate_options(bad)


def test_oversized_file_is_skipped_with_a_note() -> None:
    notes = check("var a = 1;\n" * 100, options={"max-file-bytes": 10})
    assert notes and notes[0].kind == "skipped"


def test_deep_nesting_does_not_crash() -> None:
    results = check("x = " + "[" * 5000 + "]" * 5000 + ";")
    assert all(not isinstance(r, Finding) for r in results)


def test_minified_bundle_does_not_crash() -> None:
    bundle = ";".join(f"var a{i}=function(b,c){{return b.innerHTML=c+{i},require('child_process').exec(c)}}" for i in range(300))
    check(bundle, "bundle.min.js")


_JS_BITS = st.sampled_from(["req.query.x", "res.send(", "(", ")", "{", "}", "`${", "`", "=>", "const ", "a", "=", ";", "/(a+)+/", "<div>", "</div>", "@", ":", "?.", "...", "'", "\n", "async ", "function ", "class ", "import ", "require('fs')", "[", "]", ",", "new RegExp(", "catch(e)", "try{"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_JS_BITS, max_size=40), st.sampled_from([("a.js", "javascript"), ("a.ts", "typescript"), ("a.tsx", "tsx")]))
def test_random_source_never_crashes(parts: list[str], kind: tuple[str, str]) -> None:
    path, language = kind
    check("".join(parts), path, language)


def test_module_summary_exports_sinks_of_parameters() -> None:
    source = "const cp = require('child_process');\nexport function run(cmd) { cp.exec(cmd); }\n"
    ctx = FileContext(SourceFile("lib/run.js", "lib/run.js", "javascript", source.encode()), {})
    summary = module_summary(ctx)
    assert (summary["name"], summary["imports"], summary["provides"]) == ("lib/run", [], True)
    sinks = summary["functions"]["./lib/run[].run"]["sinks"]
    assert sinks and sinks[0]["rule"] == "command-injection" and sinks[0]["param"] == 0
