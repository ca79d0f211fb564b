"""--source: signals linked to routes, handlers, SAST findings and logging calls of a real (small) Flask app."""

from __future__ import annotations

import json
import textwrap

from bastion.interfaces.cli import main
from bastion.logs import analyze_logs

from tests.logs.support import access, rules_of, write

APP = textwrap.dedent('''
    import logging
    import sqlite3

    from flask import Flask, request

    app = Flask(__name__)
    log = logging.getLogger("shop")


    @app.route("/items/<int:item_id>")
    def show_item(item_id):
        db = sqlite3.connect("shop.db")
        name = request.args.get("name", "")
        rows = db.execute(f"SELECT * FROM items WHERE name = '{name}'").fetchall()
        return {"rows": rows}


    @app.route("/account/session", methods=["POST"])
    def open_session():
        log.info("session opened for %s", request.form.get("user"))
        return {"ok": True}


    @app.route("/signup", methods=["POST"])
    def signup():
        log.info("new signup received: %s", dict(request.form))
        return {"ok": True}
''')


def _app(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    (source / "app.py").write_text(APP)
    return str(source)


def test_attacks_errors_and_leaks_are_linked_to_the_code(tmp_path):
    source = _app(tmp_path)
    access_log = write(tmp_path, "access.log", [
        access("203.0.113.7", "/items/3?name=x%27%20UNION%20SELECT%20password%20FROM%20users--"),
        *[access("203.0.113.8", f"/admin{i}.php", 404, at=i) for i in range(18)],
        access("203.0.113.8", "/items/9", 404, at=30), access("203.0.113.8", "/signup", 404, at=31),
        *[access("203.0.113.9", "/account/session", 401, at=i, method="POST") for i in range(12)]])
    app_log = write(tmp_path, "app.log", [
        "2026-12-07 11:00:00,120 ERROR shop: query failed", "Traceback (most recent call last):",
        f'  File "{source}/app.py", line 16, in show_item',
        "    rows = db.execute(...)", 'sqlite3.OperationalError: near "UNION": syntax error',
        json.dumps({"level": "info", "msg": "new signup received: {'password': 'Hunter2Hunter2!'}", "password": "Hunter2Hunter2!"})])
    report = analyze_logs([access_log, app_log], source=source)
    found = rules_of(report)
    [sqli] = found["log-sql-injection"]
    assert sqli.severity.value == "critical"
    assert sqli.properties["source"]["route"] == "GET /items/{item_id} -> app.py:12 app.show_item"
    assert sqli.properties["source"]["probed_weakness"].startswith("sql-injection at app.py:15")
    [sql_error] = found["log-sql-error"]
    assert sql_error.severity.value == "critical" and "show_item" in sql_error.properties["source"]["route"]
    [probing] = found["log-probing"]
    assert probing.properties["source"]["routes_probed"] == "2 of 20 probed paths are routes of the application"
    [brute] = found["log-brute-force"]  # /account/session is a login route only because the map says so
    assert brute.incident.client == "203.0.113.9"
    leak = [f for f in found["log-secret"] if "source" in f.properties][0]
    assert leak.properties["source"]["logging_call"] == "app.py:27"
    assert "Hunter2Hunter2!" not in json.dumps([f.to_dict() for f in report.findings])


def test_rules_use_the_real_login_routes(tmp_path, capsys):
    source = _app(tmp_path)
    assert main(["logs", "rules", "--for", "fail2ban", "--source", source]) == 0
    out = capsys.readouterr().out
    assert "(?:POST|PUT) (?:/account/session)" in out


def test_without_the_source_the_same_logs_are_not_escalated(tmp_path):
    log = write(tmp_path, "a.log", [access("203.0.113.7", "/items/3?name=x%27%20UNION%20SELECT%20password%20FROM%20users--")])
    [finding] = analyze_logs([log]).findings
    assert finding.severity.value == "high" and "source" not in finding.properties
