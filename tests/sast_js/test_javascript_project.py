"""Cross-module flows for JavaScript/TypeScript end to end: bastion.scan on a real project, through the project pass and cache."""

from __future__ import annotations

import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bastion.core.engine_api import FileContext, SourceFile
from bastion.sast.javascript import engine as js_engine
from bastion.sast.javascript.frontend import project_module, project_name
from tests.project_support import count_analyses, scan_project, write

ROUTE = """\
    const express = require('express');
    const db = require('../db');
    const router = express.Router();

    router.get('/user', async (req, res) => {
      const rows = await db.findUser(req.query.id);
      res.json(rows);
    });

    module.exports = router;
"""

DB = """\
    const { Pool } = require('pg');
    const pool = new Pool();

    async function findUser(id) {
      const result = await pool.query("SELECT * FROM users WHERE id = '" + id + "'");
      return result.rows;
    }

    module.exports = { findUser };
"""

SAFE_QUERY = 'pool.query("SELECT * FROM users WHERE id = $1", [id])'


@pytest.fixture
def analyses(monkeypatch, tmp_path):
    """Counts JavaScript analyses, in the worker processes too."""
    return count_analyses(monkeypatch, js_engine.Analyzer, tmp_path)


def scan(root, tmp_path):
    return scan_project(root, tmp_path, "javascript")


def sql(report):
    """SQL injection findings, wherever they are (a flow across files is reported once, at the sink)."""
    return [f for f in report.findings if f.rule_id == "sql-injection"]


def test_express_route_into_another_module_sql(tmp_path, analyses):
    root = tmp_path / "project"
    write(root, {"routes/users.js": ROUTE, "db.js": DB})
    report = scan(root, tmp_path)
    [finding] = sql(report)
    assert (finding.location.path, finding.location.line) == ("db.js", 5)
    assert finding.snippet.startswith("const result = await pool.query(")
    assert "req.query" in finding.message and "findUser()" in finding.message
    paths = [step.location.path for step in finding.trace]
    assert paths[:2] == ["routes/users.js", "routes/users.js"] and set(paths[2:]) == {"db.js"}
    assert [(s.location.line, s.kind) for s in finding.trace][0] == (6, "source")
    assert finding.trace[-1].kind == "sink" and finding.trace[-1].location.line == 5
    assert any(s.note == "parameter 'id'" and s.location.line == 4 for s in finding.trace)

    analyses.clear()
    again = scan(root, tmp_path)
    assert analyses == [], "an unchanged project was analysed again"
    assert again.stats.files_from_cache == 2
    assert [f.to_dict() for f in again.findings] == [f.to_dict() for f in report.findings]

    (root / "db.js").write_text(textwrap.dedent(DB).replace(
        "pool.query(\"SELECT * FROM users WHERE id = '\" + id + \"'\")", SAFE_QUERY))
    assert sql(scan(root, tmp_path)) == []


def test_chain_through_three_modules_with_esm_and_typescript(tmp_path):
    root = tmp_path / "project"
    service = """\
        import { findUser } from '../db/index.js';

        export async function lookup(id: string) {
          return findUser(id.trim());
        }
    """
    route = ROUTE.replace("const db = require('../db');", "import * as users from '../services/users';").replace(
        "db.findUser(", "users.lookup(")
    write(root, {"routes/users.js": route, "services/users.ts": service, "db/index.js": DB})
    [finding] = sql(scan(root, tmp_path))
    assert (finding.location.path, finding.location.line) == ("db/index.js", 5)
    assert finding.trace[0].location.path == "routes/users.js"
    assert "services/users.ts" in {s.location.path for s in finding.trace}, "the trace goes through the service"
    assert finding.trace[-1].location.path == "db/index.js" and finding.trace[-1].location.line == 5


@pytest.mark.parametrize("export_form", [
    "module.exports = { findUser: lookupRow };",
    "exports.findUser = lookupRow;",
    "module.exports.findUser = lookupRow;",
    "export { lookupRow as findUser };",
    "exports.findUser = (id) => lookupRow(id);",
    "module.exports = { findUser(id) { return lookupRow(id); } };",
])
def test_export_forms(tmp_path, export_form):
    root = tmp_path / "project"
    db = DB.replace("module.exports = { findUser };", export_form).replace("async function findUser", "async function lookupRow")
    write(root, {"routes/users.js": ROUTE, "db.js": db})
    assert len(sql(scan(root, tmp_path))) == 1


def test_default_export_called_directly(tmp_path):
    root = tmp_path / "project"
    db = DB.replace("module.exports = { findUser };", "export default findUser;")
    route = ROUTE.replace("const db = require('../db');", "import find from '../db.js';").replace("db.findUser(", "find(")
    write(root, {"routes/users.js": route, "db.js": db})
    assert len(sql(scan(root, tmp_path))) == 1


def test_sanitizing_helper_in_another_module_clears_the_flow(tmp_path):
    root = tmp_path / "project"
    helpers = """\
        function asId(value) {
          return parseInt(value, 10);
        }
        module.exports = { asId };
    """
    route = ROUTE.replace("const db = require('../db');", "const db = require('../db');\nconst { asId } = require('../lib/helpers');")
    write(root, {"routes/users.js": route, "db.js": DB, "lib/helpers.js": helpers})
    assert len(sql(scan(root, tmp_path))) == 1, "the unsanitized route is still reported"
    (root / "routes/users.js").write_text(textwrap.dedent(route).replace("db.findUser(req.query.id)", "db.findUser(asId(req.query.id))"))
    assert sql(scan(root, tmp_path)) == []


STORE = """\
    const fs = require('fs');
    const path = require('path');

    class Store {
      save(name, data) {
        fs.writeFileSync(path.join('/var/lib/app', name), data);
      }
    }

    module.exports = Store;
"""


def test_class_method_called_on_an_instance_in_another_file_has_a_caller(tmp_path):
    """A method of an exported class is reached through instances the analysis does not type: when another file
    calls a method of its name, it has callers and its parameters are not input of unknown origin."""
    root = tmp_path / "project"
    write(root, {"store.js": STORE})
    [alone] = [f for f in scan(root, tmp_path).findings if f.rule_id == "path-traversal"]
    assert "caller unknown" in alone.message and alone.properties["caller-unknown"] == "method:save"
    write(root, {"cli.js": """\
        const Store = require('./store');
        const store = new Store();
        store.save('settings.json', '{}');
    """})
    assert [f for f in scan(root, tmp_path).findings if f.rule_id == "path-traversal"] == []


def test_summary_names_and_imports():
    source = "import { a } from './a.mjs';\nconst b = require('../lib/b/index');\nimport x from 'express';\nexport function f(q) { return a(q); }\n"
    ctx = FileContext(SourceFile("src/db/index.ts", "src/db/index.ts", "typescript", source.encode()), {})
    summary = js_engine.JavaScriptEngine().summarize(ctx)
    assert summary["name"] == "src/db" and summary["imports"] == ["src/db/a", "src/lib/b"]
    assert "./src/db[].f" in summary["functions"]


@pytest.mark.parametrize(("specifier", "importer", "expected"), [
    ("./db", "routes/users.js", "routes/db"),
    ("../db.js", "routes/users.js", "db"),
    ("../db/index.tsx", "routes/users.js", "db"),
    (".", "src/a.js", "src"),
    ("./", "a.js", "index"),
    ("../../outside", "src/a.js", None),
    ("express", "a.js", None),
    ("/abs/path", "a.js", None),
])
def test_project_module_resolution(specifier, importer, expected):
    assert project_module(specifier, importer) == expected


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=40), st.text(max_size=40))
def test_resolution_never_crashes_nor_leaves_the_root(specifier, importer):
    name = project_module(specifier, importer)
    assert name is None or not name.startswith(("../", "/"))
    assert isinstance(project_name(importer), str)


@pytest.mark.parametrize("barrel", [
    "export { findUser } from './db';",
    "import { findUser } from './db';\nmodule.exports = { findUser };",
])
def test_barrel_file_re_exports(tmp_path, barrel):
    root = tmp_path / "project"
    route = ROUTE.replace("require('../db')", "require('../data')")
    write(root, {"routes/users.js": route, "data/db.js": DB, "data/index.js": barrel})
    [finding] = sql(scan(root, tmp_path))
    assert finding.location.path == "data/db.js" and finding.trace[-1].location.path == "data/db.js"
    assert finding.trace[0].location.path == "routes/users.js"


@pytest.mark.parametrize("barrel, call", [
    ("export * from './db';", "db.findUser"),
    ("export { findUser as lookupUser } from './db';", "db.lookupUser"),
    ("export * as users from './db';", "db.users.findUser"),
    ("export * from './more';", "db.findUser"),  # a barrel of a barrel
])
def test_star_and_renaming_barrels(tmp_path, barrel, call):
    """``export * from``, ``export { a as b } from`` and ``export * as ns from``: the route's flow reaches the query
    through the barrel, reported at the sink with the route's source (not as the helper's unknown caller)."""
    root = tmp_path / "project"
    route = ROUTE.replace("require('../db')", "require('../data')").replace("db.findUser", call)
    write(root, {"routes/users.js": route, "data/db.js": DB, "data/index.js": barrel, "data/more.js": "export * from './db';"})
    [finding] = sql(scan(root, tmp_path))
    assert finding.location.path == "data/db.js" and finding.trace[0].location.path == "routes/users.js"
    assert "caller unknown" not in finding.message and "req.query" in finding.message


def test_url_allow_list_predicate_in_another_module_guards_the_redirect(tmp_path):
    # issue 13: a project predicate named for a URL allow-list check, of any length, imported from another
    # module (a bundler may export it under a one-letter name), clears the value on the branch it holds
    root = tmp_path / "project"
    checks = """\
        function isValidRedirectUrl(target) {
          const own = new URL(process.env.PUBLIC_URL);
          try {
            return new URL(target).hostname === own.hostname;
          } catch {
            return false;
          }
        }
        export { isValidRedirectUrl as m };
    """
    route = """\
        import express from 'express';
        import { m as isValidRedirectUrl } from './checks.js';
        const app = express();
        app.get('/back', (req, res) => {
          if (!isValidRedirectUrl(req.query.next)) {
            res.status(400).send('bad redirect');
            return;
          }
          res.redirect(req.query.next);
        });
        app.get('/away', (req, res) => res.redirect(req.query.next));
        export default app;
    """
    write(root, {"checks.js": checks, "app.js": route})
    redirects = [f.location.line for f in scan(root, tmp_path).findings if f.rule_id == "open-redirect"]
    assert redirects == [11]
