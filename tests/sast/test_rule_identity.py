"""One weakness, one identity: a rule reported by both taint engines has the same id, CWE list and severity in
Python and JavaScript, and every finding is documented with its own language's examples."""

from __future__ import annotations

import json
import subprocess
import sys

import bastion
from bastion.core.config import Config
from bastion.core.engines import load_engine
from bastion.report import render
from tests.report.report_samples import sarif_validator

#: Weaknesses both languages report under one id (a second id for one of them would split the statistics,
#: the suppressions and the documentation of the same flaw).
SHARED = ("sql-injection", "command-injection", "code-injection", "path-traversal", "xss", "ssrf", "open-redirect",
          "nosql-injection", "xxe", "redos", "regex-injection", "weak-hash", "weak-password-hash", "insecure-random",
          "hardcoded-framework-secret", "cors-misconfiguration", "jwt-verification-disabled", "tls-verification-disabled",
          "unsafe-deserialization", "template-injection", "ecb-mode", "error-details-exposed",
          "ldap-injection", "xpath-injection", "unsafe-reflection", "static-iv", "weak-key-size", "weak-rsa-padding",
          "weak-tls-version", "jwt-without-expiry", "permissive-file-permissions", "insecure-temp-file",
          "archive-path-traversal", "mass-assignment", "missing-timeout", "secret-in-url", "cleartext-protocol",
          "sensitive-data-logged", "plaintext-password-storage", "debug-mode-enabled", "static-salt",
          "ssh-host-key-unverified", "template-autoescape-disabled", "unbounded-read", "bind-all-interfaces", "csrf-disabled", "missing-authentication")


def _rules(engine: str) -> dict:
    return {rule.id: rule for rule in load_engine(engine).rules()}


def test_shared_rules_have_one_identity():
    python, javascript = _rules("python"), _rules("javascript")
    for rule_id in SHARED:
        assert rule_id in python and rule_id in javascript, rule_id
    for rule_id in sorted(set(python) & set(javascript)):
        py, js = python[rule_id], javascript[rule_id]
        assert py.cwe == js.cwe, f"{rule_id}: CWE {py.cwe} in Python, {js.cwe} in JavaScript"
        assert py.severity is js.severity, f"{rule_id}: {py.severity.value} in Python, {js.severity.value} in JavaScript"


def test_no_second_name_for_the_framework_secret():
    assert "hardcoded-session-secret" not in _rules("javascript")


PY_APP = """\
import sqlite3
from flask import request

def view():
    return sqlite3.connect("db").execute("SELECT * FROM t WHERE a = '%s'" % request.args["a"]).fetchall()
"""
JS_APP = """\
const express = require('express');
const { Pool } = require('pg');
const pool = new Pool();
const app = express();
app.get('/u', async (req, res) => { await pool.query("SELECT * FROM users WHERE id = " + req.query.id); });
"""


def test_mixed_scan_documents_each_finding_in_its_language(tmp_path):
    (tmp_path / "app.py").write_text(PY_APP)
    (tmp_path / "server.js").write_text(JS_APP)
    report = bastion.scan(tmp_path, config=Config(fail_on=None), use_cache=False, engines=["python", "javascript"])
    sql = {f.engine: f for f in report.findings if f.rule_id == "sql-injection"}
    assert set(sql) == {"python", "javascript"}
    assert report.rule_for(sql["javascript"]).languages[0] == "javascript"
    assert report.rule_for(sql["python"]).languages[0] == "python"
    sarif = json.loads(render(report, "sarif"))
    assert [e.message for e in sarif_validator().iter_errors(sarif)] == []
    run = sarif["runs"][0]
    assert [e["name"] for e in run["tool"]["extensions"]] == ["Bastion python"]
    for result in (r for r in run["results"] if r["ruleId"] == "sql-injection"):
        component = result.get("rule", {}).get("toolComponent", {}).get("index")
        rules = run["tool"]["driver"]["rules"] if component is None else run["tool"]["extensions"][component]["rules"]
        descriptor = rules[result["ruleIndex"]]
        assert descriptor["id"] == "sql-injection"
        fence = "```" + result["properties"]["engine"]
        assert fence in descriptor["help"]["markdown"], (result["properties"]["engine"], descriptor["help"]["markdown"][:300])
        other = "```" + ("python" if result["properties"]["engine"] == "javascript" else "javascript")
        assert other not in descriptor["help"]["markdown"]


def test_rules_show_language_filter():
    out = subprocess.run([sys.executable, "-m", "bastion", "rules", "show", "sql-injection", "--language", "javascript"],
                         capture_output=True, text=True, check=True).stdout
    assert "```javascript" in out and "```python" not in out
