"""Review items (each check fires on its shape and stays quiet on the safe shape), risk, linked findings, review state, CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bastion.audit.assess import audit
from bastion.audit.state import STATE_FILE, StateError, load_state, parse_state
from bastion.interfaces.cli import main

FIXTURES = Path(__file__).parent.parent / "fixtures" / "audit"


@pytest.fixture(scope="module")
def review_app():
    return audit(FIXTURES / "review_app", use_cache=False)


def _by_check(result):
    out = {}
    for item in result.items:
        entry = next((e for e in result.app_map.entry_points if e.id == item.entry), None)
        out.setdefault(item.check, set()).add((entry.path if entry else None, item.evidence[0].location.path, item.evidence[0].location.line))
    return out


def test_each_check_fires_on_its_shape_and_not_on_the_safe_one(review_app):
    assert _by_check(review_app) == {
        "header-trust": {("/internal/stats", "api.py", 96)},
        "file-permissions": {(None, "api.py", 102)},
        "error-exposure": {("/report", "api.py", 67), ("/items", "server.js", 17)},
        "timing-comparison": {("/hook", "api.py", 82), ("/signed", "server.js", 8)},
        "user-sized-loop": {("/import", "api.py", 17)},
        "user-sized-allocation": {("/padding", "api.py", 38), ("/items", "server.js", 15)},
        "resource-release": {("/export", "api.py", 50)},
        "unbounded-body": {("/import", "api.py", 15)},
    }
    cwes = {i.check: i.cwe for i in review_app.items}
    assert cwes["header-trust"] == ("CWE-290", "CWE-348") and cwes["timing-comparison"] == ("CWE-208",)
    assert all(i.question.endswith((".", "?", ": use `with` / try-finally.")) for i in review_app.items)


def test_ownership_and_sibling_controls_on_the_framework_apps():
    flask = audit(FIXTURES / "flask_app", scan=False)
    assert _by_check(flask) == {
        "missing-authentication": {("/shop/search", "shop/views.py", 32)},
        "object-ownership": {("/shop/orders/{order_id}", "shop/views.py", 16)},
        "unbounded-body": {("/shop/export", "shop/views.py", 44)},
    }
    django = audit(FIXTURES / "django_app", scan=False)
    checks = _by_check(django)
    assert checks["csrf-exempt"] == {("/shop/contact/", "shop/views.py", 28)}
    assert checks["unbounded-body"] == {(None, "mysite/settings.py", 13)}
    assert ("/shop/invoices/{pk}/delete/", "shop/views.py", 23) not in checks["object-ownership"], "scoped to request.user"


def test_a_configured_body_limit_is_not_a_review_item(tmp_path):
    shutil.copytree(FIXTURES / "flask_app", tmp_path / "app")
    init = tmp_path / "app" / "shop" / "__init__.py"
    init.write_text(init.read_text().replace("    app = Flask(__name__)\n", "    app = Flask(__name__)\n    app.config['MAX_CONTENT_LENGTH'] = 1 << 20\n"))
    assert "unbounded-body" not in _by_check(audit(tmp_path / "app", scan=False))


def test_findings_are_linked_to_their_entry_points_and_risk_ranks_them(review_app):
    findings = {f.fingerprint: f for f in review_app.findings}
    by_path = {e.path: e for e in review_app.app_map.entry_points}
    linked = [findings[fp] for fp in review_app.links[by_path["/import"].id]]
    assert [f.rule_id for f in linked] == ["mass-assignment"]
    item = next(i for i in review_app.items if i.check == "user-sized-loop")
    assert [findings[fp].rule_id for fp in item.findings] == ["mass-assignment"]
    ranked = review_app.ranked()
    scores = [review_app.risks[e.id].score for e in ranked]
    assert scores == sorted(scores, reverse=True)
    risk = review_app.risks[by_path["/internal/stats"].id]
    assert dict(risk.factors)["public HTTP route"] == 30 and risk.score == sum(p for _, p in risk.factors)


def test_review_state_marks_items_then_shows_what_changed(tmp_path, capsys):
    root = tmp_path / "app"
    shutil.copytree(FIXTURES / "review_app", root)
    assert main(["audit", str(root), "--no-scan", "-f", "json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert {i["status"] for i in first["review_items"]} == {"new"}
    loop = next(i for i in first["review_items"] if i["check"] == "user-sized-loop")
    assert main(["audit", str(root), "--no-scan", "-f", "json", "--mark", loop["id"], "--by", "ana", "--note", "max 100 rows upstream"]) == 0
    capsys.readouterr()
    saved = json.loads((root / STATE_FILE).read_text())
    assert saved["reviewed"][loop["id"]]["by"] == "ana" and len(saved["entry_points"]) == 13
    api = root / "api.py"
    api.write_text(api.read_text().replace("    for row in rows:  # review: user-sized loop", "    for row in rows:  # review: user-sized loop, changed"))
    (root / "extra.py").write_text("from flask import Flask\napp = Flask(__name__)\n\n@app.get('/new')\ndef new():\n    return 'x'\n")
    assert main(["audit", str(root), "--no-scan", "-f", "json"]) == 0
    second = json.loads(capsys.readouterr().out)
    status = {i["check"]: i["status"] for i in second["review_items"]}
    assert status["user-sized-loop"] == "changed" and status["header-trust"] == "new"
    entries = {second["map"]["entry_points"][i]["path"]: s for i, s in enumerate(second["entry_status"][e["id"]] for e in second["map"]["entry_points"])}
    assert entries["/new"] == "new" and entries["/padding"] == "unchanged"
    assert main(["audit", str(root), "--no-scan", "-f", "json", "--mark", "all"]) == 0
    third = json.loads(capsys.readouterr().out)
    assert {i["status"] for i in third["review_items"]} == {"reviewed"}


def test_a_malformed_or_escaping_review_file_is_an_error(tmp_path, capsys):
    root = tmp_path / "app"
    shutil.copytree(FIXTURES / "review_app", root)
    (root / STATE_FILE).write_text('{"reviewed": {"not-an-id": {}}}')
    assert main(["audit", str(root), "--no-scan"]) == 2
    assert "review file" in capsys.readouterr().err
    (root / STATE_FILE).unlink()
    outside = tmp_path / "outside.json"
    outside.write_text('{"reviewed": {}}')
    (root / STATE_FILE).symlink_to(outside)
    with pytest.raises(StateError, match="outside"):
        load_state(root)


def test_cli_formats_and_errors(tmp_path, capsys):
    out = tmp_path / "map.html"
    assert main(["audit", str(FIXTURES / "koa_app"), "--no-scan", "-o", str(out)]) == 0
    assert out.read_text().startswith("<!DOCTYPE html>")
    assert main(["audit", str(FIXTURES / "koa_app"), "-f", "map"]) == 0
    assert [e["path"] for e in json.loads(capsys.readouterr().out)["entry_points"]] == ["/v1/posts", "/v1/posts/{slug}", "/v1/search"]
    assert main(["audit", str(FIXTURES / "koa_app"), "--no-scan", "-f", "markdown"]) == 0
    assert "| Risk | Kind |" in capsys.readouterr().out
    assert main(["audit", str(tmp_path / "missing")]) == 2
    assert main(["audit", str(FIXTURES / "koa_app"), "-o", str(tmp_path / "x.pdf")]) == 2
    assert main(["audit", str(FIXTURES / "koa_app"), "--no-scan", "--mark", "0123456789abcdef"]) == 2


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(max_size=400), st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                                                      lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=16), c, max_size=4),
                                                      max_leaves=20).map(lambda v: json.dumps(v).encode())))
def test_review_file_parser_never_fails_except_with_a_state_error(data):
    try:
        state = parse_state(data, "fuzz.json")
    except StateError:
        return
    assert all(len(k) == 16 for k in state.reviewed)


def test_scanned_text_cannot_inject_markup_into_the_html(tmp_path):
    from bastion.audit.html import render

    (tmp_path / "app.py").write_text(
        "from flask import Flask, request\napp = Flask(__name__)\n\n"
        "@app.post('/x/<script>alert(1)</script>\\u202e')\n"
        "def evil():\n    return request.form['\"><img src=x onerror=alert(2)>']\n")
    page = render(audit(tmp_path, scan=False))
    assert "</script>\u202e" not in page and "alert(1)</script>" not in page and "<img src=x" not in page
    assert "alert(1)&lt;/script&gt;&lt;U+202E&gt;" in page and "&gt;&lt;img src=x" in page
