"""Cross-file behaviour around the analysis: the cache keyed by how other files register a module's functions,
--diff on a flow whose caller changed, budget notes naming the files."""

from __future__ import annotations

import subprocess
import textwrap

import bastion
from bastion.core.config import Config
from tests.project_support import scan_project, write

CONTROLLER = """\
    const db = require('../db');

    async function show(r, s) {
      const result = await db.query("SELECT * FROM users WHERE id = '" + r.params.id + "'");
      s.json(result.rows);
    }

    module.exports = { show };
"""
ROUTES = """\
    const express = require('express');
    const users = require('../controllers/users');

    const router = express.Router();
    router.get('/users/:id', users.show);
    module.exports = router;
"""


def sql(report):
    return [(f.location.path, f.location.line, f.confidence.value) for f in report.findings if f.rule_id == "sql-injection"]


def test_a_route_table_elsewhere_decides_and_keys_the_cached_result(tmp_path):
    root = tmp_path / "project"
    write(root, {"src/db.js": "const { Pool } = require('pg');\nmodule.exports = new Pool();\n",
                 "src/controllers/users.js": CONTROLLER, "src/routes/users.js": ROUTES})
    assert sql(scan_project(root, tmp_path, "javascript")) == [("src/controllers/users.js", 4, "high")]
    # The route table changes, the controller does not: the cached result must not be reused.
    (root / "src/routes/users.js").write_text(textwrap.dedent(ROUTES).replace("router.get('/users/:id', users.show);\n", ""))
    found = sql(scan_project(root, tmp_path, "javascript"))
    assert found == [("src/controllers/users.js", 4, "medium")], "no route: a function of unknown callers again"


def _git(root, *args):
    subprocess.run(["git", "-C", str(root), "-c", "user.name=D", "-c", "user.email=d@e", *args], check=True,
                   capture_output=True)


def test_diff_reports_an_old_sink_a_new_caller_reaches(tmp_path):
    root = tmp_path / "project"
    db = """\
        import sqlite3

        def find(name):
            return sqlite3.connect("a.db").execute("SELECT * FROM u WHERE n = '%s'" % name).fetchall()
    """
    caller = "from app.db import find\n\nfind('admin')\n"
    write(root, {"app/__init__.py": "", "app/db.py": db, "app/jobs.py": caller})
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "one")
    views = "from flask import request\nfrom app.db import find\n\n\ndef view():\n    return find(request.args['n'])\n"
    (root / "app" / "views.py").write_text(views)
    report = bastion.scan(root, config=Config(fail_on=None), engines=["python"], use_cache=False, jobs=1, diff="HEAD")
    [finding] = [f for f in report.findings if f.rule_id == "sql-injection"]
    assert (finding.location.path, finding.location.line) == ("app/db.py", 4)
    assert finding.trace[0].location.path == "app/views.py"


def test_a_summary_cut_by_its_budget_says_so(tmp_path, monkeypatch):
    from bastion.sast import crossmodule, taint

    monkeypatch.setattr(taint, "MAX_OUTSIDE_CALLS", 2)
    monkeypatch.setattr(crossmodule, "MAX_OUTSIDE_CALLS", 2)
    root = tmp_path / "project"
    write(root, {"app/__init__.py": "", "app/main.py": "import a, b, c\n\na.one()\nb.two()\nc.three()\n"})
    report = scan_project(root, tmp_path, "python")
    [note] = [n for n in report.notes if n.reason == "budget"]
    assert note.path == "app/main.py" and "more than 2 names" in note.message


def test_a_function_handed_to_a_call_in_another_file_has_callers(tmp_path):
    """``Thread(target=jobs.convert, ...)``: the function is called by the code it was given to, as in one file."""
    root = tmp_path / "project"
    jobs = "import os\n\n\ndef convert(path):\n    os.system('convert ' + path + ' out.png')\n"
    write(root, {"app/__init__.py": "", "app/jobs.py": jobs})
    alone = [f for f in scan_project(root, tmp_path, "python").findings if f.rule_id == "command-injection"]
    assert [f.location.line for f in alone] == [5] and "caller unknown" in alone[0].message
    write(root, {"app/main.py": "import threading\n\nfrom app import jobs\n\nthreading.Thread(target=jobs.convert, args=('a.jpg',)).start()\n"})
    assert [f for f in scan_project(root, tmp_path, "python").findings if f.rule_id == "command-injection"] == []
