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



def test_a_separator_in_a_file_name_leaves_the_message_readable():
    from bastion.sast import ir
    from bastion.sast.python.crossmodule import finding_parts
    from bastion.sast.taint import Hit

    span = ir.Span(3, 1, 3, 9)
    hit = Hit("sql-injection", span, "SQL query executed\x1fodd\x1fname.py\x1f2\x1f5\x1f in \x1e:2 with x, passed to f()",
              trace=((span, "x", "source"), (span, "sink", "sink")))
    message, trace = finding_parts(hit)
    assert "\x1f" not in message and "\x1e" not in message
    assert [kind for *_, kind in trace] == ["source", "sink"]
