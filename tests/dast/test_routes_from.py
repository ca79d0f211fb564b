"""`--routes-from`: the operations come from Bastion's static map of the source tree (bastion.audit.build_map)
instead of a spec, and findings point at the handler's file and line as well as the endpoint."""

from __future__ import annotations

import shutil

import pytest

import bastion
from bastion.interfaces.cli import main
from tests.dast.apps import APPS, AUTH, running
from tests.dast.expected import EXPECTED, finding_key

SOURCES = {"fastapi": APPS / "fastapi_app.py", "express": APPS / "express" / "app.js", "flask": APPS / "flask_app.py"}
#: What the map cannot see: no spec `pattern` to attack (ReDoS), a JSON body read through `get_json(silent=True) or {}`
#: (SSRF), and a SQLite timing payload that needs an existing row (the spec's example) to run.
NOT_FROM_SOURCE = {"flask": {("dast-redos", "GET /api/validate", "username"), ("dast-ssrf", "POST /api/fetch", "url"),
                             ("dast-sql-injection", "GET /api/track", "ref")}}


def _tree(tmp_path, app: str):
    shutil.copy(SOURCES[app], tmp_path / SOURCES[app].name)
    return tmp_path


@pytest.mark.parametrize("app", ["fastapi", pytest.param("express", marks=pytest.mark.slow),
                                 pytest.param("flask", marks=pytest.mark.slow)])
def test_routes_from_the_source_tree_find_the_planted_flaws(tmp_path, app):
    with running(app) as url:
        report = bastion.dast_scan(url, routes_from=str(_tree(tmp_path, app)),
                                   auth=str(AUTH[app]) if AUTH[app] else None, delay=1.5)
    found = {finding_key(f) for f in report.findings}
    assert EXPECTED[app] - NOT_FROM_SOURCE.get(app, set()) <= found
    bola = next((f for f in report.findings if f.rule_id == "dast-bola"), None) if app == "fastapi" else None
    if bola is not None:
        assert bola.location.path == "fastapi_app.py" and bola.location.line > 1
    assert any("routes from the source tree" in n.message for n in report.notes)


def test_routes_from_a_saved_map(tmp_path, capsys):
    tree = _tree(tmp_path, "fastapi")
    saved = tmp_path / "map.json"
    assert main(["audit", str(tree), "-f", "map", "-o", str(saved), "--no-scan"]) == 0
    junk = tmp_path / "junk.json"
    junk.write_text('{"entry_points": [{"kind": "http"}]}')
    with running("fastapi") as url:
        report = bastion.dast_scan(url, routes_from=str(saved), auth=str(AUTH["fastapi"]), checks=["access"])
        capsys.readouterr()
        assert main(["dast", "--target", url, "--routes-from", str(junk), "--no-progress"]) == 2
    assert {finding_key(f)[0] for f in report.findings} >= {"dast-bola", "dast-bfla"}
    assert "not a map written by `bastion audit -f map`" in capsys.readouterr().err


def test_routes_from_an_empty_tree_is_a_clear_error(tmp_path, capsys):
    (tmp_path / "README.md").write_text("no code here\n")
    with running("fastapi") as url:
        assert main(["dast", "--target", url, "--routes-from", str(tmp_path), "--no-progress"]) == 2
    assert "no HTTP routes found" in capsys.readouterr().err
    assert main(["dast", "--target", "http://127.0.0.1:9", "--routes-from", str(tmp_path),
                 "--openapi", "x.json", "--no-progress"]) == 2
    assert "either --openapi or --routes-from" in capsys.readouterr().err
