"""Behaviour of the Python engine beyond the fixtures: semantics, traces, fixes, options, summaries."""

from __future__ import annotations

import json
import textwrap

import pytest

from bastion.core.config import ConfigError
from bastion.core.engine_api import FileContext, SourceFile
from bastion.core.model import Note
from bastion.sast.python.engine import PythonEngine, module_summary

from .conftest import scan_source


def rules_at(findings, rule):
    return sorted(f.location.line for f in findings if f.rule_id == rule)


def apply_fix(code: str, finding) -> str:
    """Apply a finding's edits the way `bastion scan --fix` will (bottom-up, 1-based columns)."""
    lines = textwrap.dedent(code).splitlines(keepends=True)
    for edit in sorted(finding.fix.edits, key=lambda e: (e.line, e.column), reverse=True):
        assert edit.line == edit.end_line
        line = lines[edit.line - 1]
        lines[edit.line - 1] = line[: edit.column - 1] + edit.replacement + line[edit.end_column - 1 :]
    return "".join(lines)


def test_flow_through_two_functions_carries_a_trace():
    code = """
    import sqlite3
    from flask import Flask, request
    app = Flask(__name__)

    def build(name):
        return "SELECT * FROM t WHERE n = '" + name + "'"

    def run(sql):
        return sqlite3.connect("x").execute(sql)

    @app.get("/")
    def view():
        return str(run(build(request.args["n"])))
    """
    findings = [f for f in scan_source(code) if f.rule_id == "sql-injection"]
    assert [f.location.line for f in findings] == [10]
    trace = findings[0].trace
    assert trace[0].kind == "source" and trace[0].location.line == 14
    assert trace[-1].kind == "sink" and trace[-1].location.line == 10
    assert any("build()" in step.note for step in trace) and any("run()" in step.note for step in trace)
    assert findings[0].confidence.value == "high"


def test_recursion_reaches_a_fixed_point():
    code = """
    import os
    def walk(path, depth):
        if depth > 3:
            os.system("ls " + path)
            return path
        return walk(path + "/x", depth + 1)

    def main():
        import sys
        walk(sys.argv[1], 0)
    """
    assert rules_at(scan_source(code), "command-injection") == [5]


def test_methods_and_instance_fields():
    code = """
    import subprocess
    from flask import request

    class Runner:
        def __init__(self):
            self.base = "ls"

        def remember(self):
            self.target = request.args["dir"]

        def run(self, extra):
            subprocess.run(self.base + " " + extra, shell=True)

        def go(self):
            self.run(request.args["x"])
    """
    findings = [f for f in scan_source(code) if f.rule_id == "command-injection"]
    assert [f.location.line for f in findings] == [13]
    assert findings[0].confidence.value == "high"


def test_aliases_resolve_to_qualified_names():
    code = """
    from subprocess import run as r
    import yaml as y
    def f(cmd, text):
        r(cmd, shell=True)
        return y.load(text)
    """
    findings = scan_source(code)
    assert rules_at(findings, "command-injection") == [5]
    assert rules_at(findings, "unsafe-deserialization") == [6]


def test_constants_are_folded_and_dead_branches_ignored():
    code = """
    import os
    TABLE = "users"
    PREFIX = "SELECT * FROM %s" % TABLE
    DEBUG = False

    def q(cur, request):
        cur.execute(PREFIX + " WHERE active = 1")
        cur.execute("SELECT {} FROM t".format("id"))
        cur.execute(" ".join(["SELECT", "1"]))
        if DEBUG:
            os.system(request.args["cmd"])
    """
    findings = scan_source(code)
    assert rules_at(findings, "sql-injection") == []
    assert rules_at(findings, "command-injection") == []


def test_guard_with_safe_fullmatch_cleans_but_dotted_pattern_not_for_paths():
    code = """
    import re, os
    from flask import abort, request

    def a():
        name = request.args["n"]
        if not re.fullmatch(r"[a-z0-9_]+", name):
            abort(400)
        os.system("echo " + name)
        return open(os.path.join("/srv", name)).read()

    def b():
        name = request.args["n"]
        if not re.fullmatch(r"[a-z0-9_.]+", name):
            abort(400)
        os.system("echo " + name)
        return open(os.path.join("/srv", name)).read()
    """
    findings = scan_source(code)
    assert rules_at(findings, "command-injection") == []
    assert rules_at(findings, "path-traversal") == [17]


def test_new_syntax_is_analysed_on_any_interpreter():
    code = '''
    import os
    def greet(request):
        user = request.args["u"]
        print(f"{"nested" + f'{user!r}'}")
        os.system(f"echo {user}")
        tmpl = t"hello {user}"
        try:
            pass
        except ValueError, TypeError:
            pass
        type Alias = list[int]
    '''
    findings = scan_source(code)
    assert rules_at(findings, "command-injection") == [6]


def test_syntax_errors_become_notes_and_the_rest_is_analysed():
    data = b"import os\ndef f(request):\n    os.system(request.args['x'])\n\ndef broken(:\n"
    file = SourceFile(path="bad.py", abspath="bad.py", language="python", data=data)
    results = list(PythonEngine().check_file(FileContext(file, {})))
    assert any(isinstance(r, Note) for r in results)
    assert any(getattr(r, "rule_id", "") == "command-injection" for r in results)


@pytest.mark.parametrize(
    "code, rule, expected",
    [
        ("import yaml\ndef f(t):\n    return yaml.load(t)\n", "unsafe-deserialization", "yaml.safe_load(t)"),
        ("import requests\nrequests.get('https://x', verify=False, timeout=5)\n", "tls-verification-disabled", "requests.get('https://x', timeout=5)"),
        ("import requests\nrequests.get('https://x')\n", "missing-timeout", "requests.get('https://x', timeout=10)"),
        ("import hashlib\ndef f(blob):\n    return hashlib.md5(blob).hexdigest()\n", "weak-hash", "hashlib.md5(blob, usedforsecurity=False)"),
        ("def f(resp, t):\n    resp.set_cookie('sid', t, secure=True)\n", "cookie-without-httponly", "secure=True, httponly=True)"),
        ("import random\ndef make_token():\n    return random.choice('abc')\n", "insecure-random", "import secrets\nimport random"),
    ],
)
def test_autofixes_are_mechanical(code, rule, expected):
    findings = [f for f in scan_source(code) if f.rule_id == rule]
    assert findings and findings[0].fix is not None
    fixed = apply_fix(code, findings[0])
    assert expected in fixed
    assert not [f for f in scan_source(fixed) if f.rule_id == rule and f.severity.rank >= 2]


def test_options_are_validated():
    file = SourceFile(path="a.py", abspath="a.py", language="python", data=b"x = 1\n")
    with pytest.raises(ConfigError, match="no-such-key"):
        list(PythonEngine().check_file(FileContext(file, {"no-such-key": True})))
    with pytest.raises(ConfigError, match="environment-sources"):
        list(PythonEngine().check_file(FileContext(file, {"environment-sources": "yes"})))


def test_environment_is_a_low_trust_source_unless_configured_untrusted():
    code = "import os, subprocess\nsubprocess.run(['sh', '-c', os.environ['CMD']])\nos.system('ls ' + os.getenv('DIR'))\n"
    findings = [f for f in scan_source(code) if f.rule_id == "command-injection"]
    assert [(f.location.line, f.confidence.value) for f in findings] == [(2, "low"), (3, "low")]
    assert findings[1].trace[0].note == "input from the environment (os.getenv)"
    configured = scan_source(code, options={"environment-sources": True})
    assert [f.confidence.value for f in configured if f.rule_id == "command-injection"] == ["medium", "medium"]


def test_user_models_extend_the_builtin_ones(tmp_path):
    (tmp_path / "internal.toml").write_text(
        '[[source]]\nname = "mycorp.rpc.payload"\nkind = "remote"\nnote = "RPC payload"\n\n'
        '[[sink]]\ncall = "mycorp.db.raw"\nrule = "sql-injection"\nnote = "raw SQL helper"\n'
    )
    code = "from mycorp import rpc, db\ndef h():\n    db.raw(rpc.payload)\n"
    findings = scan_source(code, options={"models": [str(tmp_path)]})
    assert rules_at(findings, "sql-injection") == [3]


def test_user_model_edits_are_seen_by_a_long_lived_process(tmp_path):
    code = "from mycorp import rpc, db\ndef h():\n    db.raw(rpc.payload)\n"
    options = {"models": [str(tmp_path)]}
    assert rules_at(scan_source(code, options=options), "sql-injection") == []
    (tmp_path / "internal.toml").write_text(
        '[[source]]\nname = "mycorp.rpc.payload"\nkind = "remote"\nnote = "RPC payload"\n\n'
        '[[sink]]\ncall = "mycorp.db.raw"\nrule = "sql-injection"\nnote = "raw SQL helper"\n'
    )
    assert rules_at(scan_source(code, options=options), "sql-injection") == [3]


def test_summary_export_is_json():
    code = "import os\ndef run(cmd):\n    os.system(cmd)\n\ndef ident(x):\n    return x\n"
    file = SourceFile(path="pkg/tools.py", abspath="pkg/tools.py", language="python", data=code.encode())
    summary = module_summary(FileContext(file, {}))
    json.dumps(summary)
    assert summary["module"] == "pkg.tools"
    assert summary["functions"]["pkg.tools.run"]["sinks"][0]["rule"] == "command-injection"
    assert summary["functions"]["pkg.tools.ident"]["returns"] == [[0, [], []]]


def test_every_rule_is_documented():
    rules = PythonEngine().rules()
    assert len(rules) >= 60
    for rule in rules:
        assert rule.cwe and rule.owasp and rule.references and rule.what and rule.why
        assert rule.vulnerable.strip() and rule.fixed.strip()
        assert rule.owasp.startswith("A") and ":2021-" in rule.owasp


def test_cross_module_flow_through_exported_summaries():
    from bastion.sast.python.engine import cross_module_findings

    db = SourceFile(path="src/app/db.py", abspath="db.py", language="python",
                    data=b"def find(cur, name):\n    cur.execute(\"SELECT * FROM u WHERE n = '\" + name + \"'\")\n\ndef clean(x):\n    return int(x)\n")
    views = SourceFile(path="src/app/views.py", abspath="views.py", language="python",
                       data=b"from flask import request\nfrom app.db import find, clean\nfrom . import db\n\n"
                            b"def a(cur):\n    find(cur, request.args['n'])\n\n"
                            b"def b(cur):\n    find(cur, clean(request.args['n']))\n\n"
                            b"def c(cur):\n    db.find(cur, name=request.args['n'])\n")
    summaries = [module_summary(FileContext(db, {})), module_summary(FileContext(views, {}))]
    json.dumps(summaries)
    alone = [f for f in PythonEngine().check_file(FileContext(views, {})) if getattr(f, "rule_id", "") == "sql-injection"]
    assert alone == []
    findings = [f for f in cross_module_findings(FileContext(views, {}), summaries) if getattr(f, "rule_id", "") == "sql-injection"]
    assert sorted(f.location.line for f in findings) == [6, 12]
    assert "src/app/db.py:2" in findings[0].message
    assert findings[0].trace[0].kind == "source"


def test_asserts_in_test_files_are_tests_not_authorization():
    code = "def delete(user, doc):\n    assert user.is_admin\n    doc.delete()\n"
    assert rules_at(scan_source(code, path="app/views.py"), "assert-for-authorization") == [2]
    for path in ("tests/views.py", "app/test_views.py", "app/views_test.py", "conftest.py"):
        assert rules_at(scan_source(code, path=path), "assert-for-authorization") == [], path
    assert rules_at(scan_source(code, path="tests/fixtures/python/views.py"), "assert-for-authorization") == [2]
