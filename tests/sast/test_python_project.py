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
def analyses(monkeypatch, tmp_path):
    """Counts Python analyses, in the worker processes too."""
    return count_analyses(monkeypatch, python_engine.Analyzer, tmp_path)


def scan(root, tmp_path):
    return scan_project(root, tmp_path, "python")


def sql(report):
    """SQL injection findings, wherever they are (a flow across files is reported once, at the sink)."""
    return [f for f in report.findings if f.rule_id == "sql-injection"]


def test_flask_route_into_another_module_sql(tmp_path, analyses):
    root = tmp_path / "project"
    write(root, {"app/__init__.py": "", "app/views.py": VIEWS, "app/db.py": DB})
    report = scan(root, tmp_path)
    [finding] = sql(report)
    assert (finding.location.path, finding.location.line) == ("app/db.py", 5)
    assert finding.confidence.value == "high" and "request.args" in finding.message
    paths = [step.location.path for step in finding.trace]
    assert paths[0] == "app/views.py" and paths[-1] == "app/db.py"
    assert finding.trace[0].kind == "source" and finding.trace[-1].kind == "sink"
    assert finding.trace[-1].location.line == 5
    assert ("app/db.py", 3, "parameter 'name'") in {(s.location.path, s.location.line, s.note) for s in finding.trace}

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
    assert (finding.location.path, finding.location.line) == ("app/db.py", 5)
    assert [s.location.path for s in finding.trace][0] == "app/views.py"
    assert "app/service.py" in {s.location.path for s in finding.trace}
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
    assert finding.message.startswith("SQL query executed with request.args")
    assert [(step.location.path, step.kind) for step in finding.trace][-1] == ("app/db.py", "sink")
    summary = python_engine.PythonEngine().summarize(_context(root, "app/db.py"))
    [sink] = summary["functions"]["app.db.find_user"]["sinks"]
    assert (sink["path"], sink["line"], sink["note"]) == ("app/db.py", 5, "SQL query executed")


def _context(root, relpath):
    from bastion.core.engine_api import FileContext, SourceFile

    data = (root / relpath).read_bytes()
    return FileContext(SourceFile(path=relpath, abspath=str(root / relpath), language="python", data=data), {})


def test_a_long_chain_is_analysed_bottom_up_once_per_file_and_reported_at_the_sink(tmp_path, analyses):
    """m5 -> m4 -> ... -> m0: each file is analysed once, its imports' final summaries known (their imports were
    read first, without analysing them)."""
    root = tmp_path / "project"
    files = {"app/__init__.py": "", "app/m0.py": DB.replace("find_user", "f0")}
    for n in range(1, 6):
        files[f"app/m{n}.py"] = f"from app.m{n - 1} import f{n - 1}\n\ndef f{n}(name):\n    return f{n - 1}(name)\n"
    files["app/views.py"] = VIEWS.replace("from app.db import find_user", "from app.m5 import f5").replace("find_user(", "f5(")
    write(root, files)
    report = scan(root, tmp_path)
    assert not [n for n in report.notes if n.reason == "budget"]
    [finding] = sql(report)
    assert (finding.location.path, finding.location.line, finding.confidence.value) == ("app/m0.py", 5, "high")
    paths = [s.location.path for s in finding.trace]
    assert paths[0] == "app/views.py" and paths[-1] == "app/m0.py"
    assert {"app/m5.py", "app/m1.py"} <= set(paths), "the trace shows both ends of the chain"
    assert sorted(analyses) == sorted(["app", "app.views"] + [f"app.m{n}" for n in range(6)])


CYCLE_A = """\
    from flask import request
    from app import b

    def view():
        return b.lookup(request.args["name"])

    def quote(name):
        return name.strip()
"""

CYCLE_B = """\
    import sqlite3
    from app import a

    def lookup(name):
        conn = sqlite3.connect("app.db")
        return conn.execute("SELECT * FROM users WHERE name = '" + a.quote(name) + "'").fetchall()
"""


def test_an_import_cycle_is_solved_together(tmp_path):
    root = tmp_path / "project"
    write(root, {"app/__init__.py": "", "app/a.py": CYCLE_A, "app/b.py": CYCLE_B})
    report = scan(root, tmp_path)
    [finding] = sql(report)
    assert (finding.location.path, finding.location.line, finding.confidence.value) == ("app/b.py", 6, "high")
    assert finding.trace[0].location.path == "app/a.py"
    assert not [n for n in report.notes if n.reason == "budget"]


def test_a_cycle_the_round_budget_stops_gets_a_note_naming_its_files(tmp_path, monkeypatch):
    from bastion.pipeline import project_pass

    monkeypatch.setattr(project_pass, "MAX_CYCLE_ROUNDS", 1)
    root = tmp_path / "project"
    write(root, {"app/__init__.py": "", "app/a.py": CYCLE_A, "app/b.py": CYCLE_B})
    report = scan(root, tmp_path)
    budget = [n for n in report.notes if n.reason == "budget"]
    assert {n.path for n in budget} == {"app/a.py", "app/b.py"}
    assert all("import cycle app/a.py, app/b.py" in n.message for n in budget)
