"""A warm rescan reports exactly what a cold scan of the same tree reports, edit after edit of a real git repository.

The tree is a small project in Python and JavaScript whose flows cross files
(a route in one module, the query in another, a helper in a third). Each step
edits it the way a developer does (a new sink, a fix, lines shifted above a
sink another file reaches, a new caller, a deleted module, a renamed function),
commits with git, then scans twice: with the cache the earlier scans filled
(warm) and with an empty one (cold). Findings and notes must be the same; the
warm scan must have taken results from the cache (otherwise the comparison
proves nothing). No timing is asserted: speed is measured in benchmarks/.
"""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

import pytest

import bastion
from bastion.core.config import Config

PROJECT = {
    "app/__init__.py": "",
    "app/views.py": """\
        from flask import Flask, request
        from app.db import find_user, count_users
        from app.text import shout

        app = Flask(__name__)

        @app.route("/user")
        def user():
            return find_user(shout(request.args["name"]))

        @app.route("/count")
        def count():
            return str(count_users(request.args.get("kind", "")))
        """,
    "app/db.py": """\
        import sqlite3

        def find_user(name):
            conn = sqlite3.connect("app.db")
            return conn.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchall()

        def count_users(kind):
            conn = sqlite3.connect("app.db")
            return conn.execute("SELECT count(*) FROM users WHERE kind = ?", (kind,)).fetchone()
        """,
    "app/text.py": """\
        def shout(value):
            return value.upper()
        """,
    "app/unrelated.py": """\
        import os

        def home():
            return os.getcwd()
        """,
    "web/db.js": """\
        const { Pool } = require('pg');
        const pool = new Pool();

        async function findUser(id) {
          const result = await pool.query('SELECT * FROM users WHERE id = $1', [id]);
          return result.rows;
        }

        module.exports = { findUser };
        """,
    "web/routes.js": """\
        const express = require('express');
        const db = require('./db');
        const router = express.Router();

        router.get('/user', async (req, res) => {
          res.json(await db.findUser(req.query.id));
        });

        module.exports = router;
        """,
}

_SAFE_QUERY = """conn.execute("SELECT * FROM users WHERE name = ?", (name,))"""
_INJECTABLE_DB = PROJECT["app/db.py"].replace(_SAFE_QUERY, """conn.execute(f"SELECT * FROM users WHERE name = '{name}'")""")

#: (what the step does, files to write (None deletes)).
STEPS = [
    ("the Python query becomes injectable: the route's flow appears in views.py", {"app/db.py": _INJECTABLE_DB}),
    ("lines added above the sink: the finding in views.py names the new line",
     {"app/db.py": _INJECTABLE_DB.replace("import sqlite3\n", "import sqlite3\n\n        TABLE = 'users'\n\n\n", 1)}),
    ("the helper in between starts cleaning its input", {"app/text.py": """\
        import re

        def shout(value):
            return re.sub(r"[^A-Za-z0-9]", "", value).upper()
        """}),
    ("the JavaScript query becomes injectable", {"web/db.js": """\
        const { Pool } = require('pg');
        const pool = new Pool();

        async function findUser(id) {
          const result = await pool.query("SELECT * FROM users WHERE id = '" + id + "'");
          return result.rows;
        }

        module.exports = { findUser };
        """}),
    ("a new file calls the injectable function", {"app/admin.py": """\
        from flask import request
        from app.db import count_users, find_user

        def lookup():
            return find_user(request.form["who"])
        """}),
    ("an unrelated module changes (nothing imports it)", {"app/unrelated.py": """\
        import os
        import subprocess

        def home():
            return subprocess.run(["ls", os.getcwd()], check=False)
        """}),
    ("the helper module is deleted and the route calls the query directly", {"app/text.py": None, "app/views.py": """\
        from flask import Flask, request
        from app.db import find_user, count_users

        app = Flask(__name__)

        @app.route("/user")
        def user():
            return find_user(request.args["name"])

        @app.route("/count")
        def count():
            return str(count_users(request.args.get("kind", "")))
        """}),
    ("the query is fixed again", {"app/db.py": PROJECT["app/db.py"], "web/db.js": PROJECT["web/db.js"]}),
]


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "core.hooksPath=/dev/null", "-c", "user.name=T", "-c", "user.email=t@e", *args],
                   cwd=root, check=True, capture_output=True)


def _apply(root: Path, files: dict[str, str | None]) -> None:
    for path, text in files.items():
        target = root / path
        if text is None:
            target.unlink()
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text))
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "step")


def _scan(root: Path, cache: Path, jobs: int):
    config = Config(cache_dir=str(cache), fail_on=None)
    return bastion.scan(root, config=config, engines=["python", "javascript"], jobs=jobs)


def _seen(report) -> tuple[list[dict], list[dict]]:
    return [f.to_dict() for f in report.findings], sorted((n.to_dict() for n in report.notes), key=repr)


@pytest.mark.parametrize("jobs", [1, 2])
def test_warm_rescans_match_cold_scans_edit_after_edit(tmp_path, jobs):
    root = tmp_path / "repo"
    root.mkdir()
    _git(root, "init", "-q")
    _apply(root, PROJECT)
    warm_cache = tmp_path / "warm"
    first = _scan(root, warm_cache, jobs)
    unchanged = _scan(root, warm_cache, jobs)
    assert _seen(unchanged) == _seen(first)
    assert unchanged.stats.files_from_cache == unchanged.stats.files_scanned > 0
    findings_seen, traced = set(), set()
    for number, (what, files) in enumerate(STEPS):
        _apply(root, files)
        warm = _scan(root, warm_cache, jobs)
        cold = _scan(root, tmp_path / f"cold{number}", jobs)
        assert _seen(warm) == _seen(cold), what
        assert warm.stats.files_from_cache > 0, what  # (the last step restores earlier contents: all cached)
        findings_seen.update((f.rule_id, f.location.path, f.location.line) for f in cold.findings)
        traced.update(step.location.path for f in cold.findings for step in f.trace)
    # The steps did change what is found (a comparison of two empty reports would prove nothing).
    # Flows across files are reported at their sink, traced from the caller.
    assert {("sql-injection", "app/db.py", 5), ("sql-injection", "app/db.py", 9)} <= findings_seen  # the sink moved down
    assert ("sql-injection", "web/db.js", 5) in findings_seen
    assert {"app/views.py", "app/admin.py", "web/routes.js"} <= traced


def test_a_result_cut_short_by_the_time_budget_is_analysed_again(tmp_path, monkeypatch):
    """A budget blown on a busy machine must not stay in the cache: the next scan analyses the file again."""
    import time

    from bastion.pipeline import worker

    real = worker.parse_suppressions

    def slow(lines):
        time.sleep(5)
        return real(lines)

    root = tmp_path / "src"
    root.mkdir()
    (root / "app.py").write_text("import os\nos.system(input())  # bastion: ignore[command-injection]\n")
    config = Config(cache_dir=str(tmp_path / "cache"), file_timeout=0.5, fail_on=None)
    monkeypatch.setattr(worker, "parse_suppressions", slow)
    cut = bastion.scan(root, config=config, engines=["python"], jobs=1)
    assert any("time budget" in note.message for note in cut.notes)
    monkeypatch.setattr(worker, "parse_suppressions", real)
    again = bastion.scan(root, config=config, engines=["python"], jobs=1)
    assert again.stats.files_from_cache == 0
    assert not any("time budget" in note.message for note in again.notes)
    cached = bastion.scan(root, config=config, engines=["python"], jobs=1)
    assert cached.stats.files_from_cache == 1
