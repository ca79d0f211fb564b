"""Cross-module flows end to end: bastion.scan on a real project, through the runner's project pass and cache."""

from __future__ import annotations

import textwrap

import pytest

from bastion.sast.python import engine as python_engine
from tests.project_support import count_analyses, scan_project, write

VIEWS = """\
    from flask import Flask, request
    from app.db import find_user

    app = Flask(__name__)

    @app.route("/user")
    def user():
        return find_user(request.args["name"])
"""

DB = """\
    import sqlite3

    def find_user(name):
        conn = sqlite3.connect("app.db")
        return conn.execute(f"SELECT * FROM users WHERE name = '{name}'").fetchall()
"""


@pytest.fixture
def analyses(monkeypatch):
    """Counts Python analyses (inline runs: one job)."""
    return count_analyses(monkeypatch, python_engine.Analyzer)


def scan(root, tmp_path):
    return scan_project(root, tmp_path, "python")


def sql(report, path="app/views.py"):
    """SQL injection found at the route (db.py's own f-string query is reported on its own, at medium confidence)."""
    return [f for f in report.findings if f.rule_id == "sql-injection" and f.location.path == path]


def test_flask_route_into_another_module_sql(tmp_path, analyses):
    root = tmp_path / "project"
    write(root, {"app/__init__.py": "", "app/views.py": VIEWS, "app/db.py": DB})
    report = scan(root, tmp_path)
    [finding] = sql(report)
    assert (finding.location.path, finding.location.line) == ("app/views.py", 8)
    assert "app/db.py:5" in finding.message
    paths = [step.location.path for step in finding.trace]
    assert paths[0] == "app/views.py" and paths[-1] == "app/db.py"
    assert finding.trace[0].kind == "source" and finding.trace[-1].kind == "sink"
    assert finding.trace[-1].location.line == 5

    analyses.clear()
    again = scan(root, tmp_path)
    assert analyses == [], "an unchanged project was analysed again"
    assert again.stats.files_from_cache == 3
    assert [f.to_dict() for f in again.findings] == [f.to_dict() for f in report.findings]


def test_chain_through_three_modules_names_the_real_sink(tmp_path, analyses):
    root = tmp_path / "project"
    service = """\
        from . import db

        def lookup(name):
            return db.find_user(name.strip())
    """
    views = VIEWS.replace("from app.db import find_user", "from app.service import lookup").replace("find_user(", "lookup(")
    write(root, {"app/__init__.py": "", "app/views.py": views, "app/service.py": service, "app/db.py": DB})
    [finding] = sql(scan(root, tmp_path))
    assert finding.location.path == "app/views.py"
    assert "app/db.py:5" in finding.message and "service" not in finding.message.split(" with ")[0]
    assert finding.trace[-1].location.path == "app/db.py" and finding.trace[-1].location.line == 5

    (root / "app" / "db.py").write_text(textwrap.dedent(DB).replace(
        "conn.execute(f\"SELECT * FROM users WHERE name = '{name}'\")",
        'conn.execute("SELECT * FROM users WHERE name = ?", (name,))'))
    assert sql(scan(root, tmp_path)) == []


def test_sanitizing_helper_in_another_module_clears_the_flow(tmp_path, analyses):
    root = tmp_path / "project"
    helpers = """\
        def as_id(value):
            return int(value)
    """
    views = VIEWS.replace('find_user(request.args["name"])', 'find_user(as_id(request.args["name"]))').replace(
        "from app.db import find_user", "from app.db import find_user\nfrom app.helpers import as_id")
    write(root, {"app/__init__.py": "", "app/views.py": views, "app/db.py": DB, "app/helpers.py": helpers})
    assert sql(scan(root, tmp_path)) == []



def test_a_sink_in_another_module_keeps_its_file_typed_whatever_its_name(tmp_path):
    """The sink's file travels as a field, never inside a string, so no file name can garble a message."""
    root = tmp_path / "project"
    write(root, {"app/__init__.py": "", "app/views.py": VIEWS, "app/db.py": DB})
    [finding] = sql(scan(root, tmp_path))
    assert finding.message.startswith("SQL query executed in app/db.py:5 with request.args")
    assert [(step.location.path, step.kind) for step in finding.trace][-2:] == [("app/views.py", "step"), ("app/db.py", "sink")]
    summary = python_engine.PythonEngine().summarize(_context(root, "app/db.py"))
    [sink] = summary["functions"]["app.db.find_user"]["sinks"]
    assert (sink["path"], sink["line"], sink["note"]) == ("app/db.py", 5, "SQL query executed")


def _context(root, relpath):
    from bastion.core.engine_api import FileContext, SourceFile

    data = (root / relpath).read_bytes()
    return FileContext(SourceFile(path=relpath, abspath=str(root / relpath), language="python", data=data), {})


def test_a_chain_longer_than_the_round_budget_gets_a_note_naming_the_files(tmp_path):
    root = tmp_path / "project"
    files = {"app/__init__.py": "", "app/m0.py": DB.replace("find_user", "f0")}
    for n in range(1, 6):
        files[f"app/m{n}.py"] = f"from app.m{n - 1} import f{n - 1}\n\ndef f{n}(name):\n    return f{n - 1}(name)\n"
    write(root, files)
    report = scan(root, tmp_path)
    budget = [n for n in report.notes if n.reason == "budget"]
    assert budget and all("stopped after" in n.message for n in budget)
    assert {n.path for n in budget} <= {f"app/m{n}.py" for n in range(1, 6)}
