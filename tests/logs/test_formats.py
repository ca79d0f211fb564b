"""Every input format read the way its writer wrote it: access (combined, common, nginx log_format),
error logs, JSON-lines libraries, journald, multi-line tracebacks, gzip rotations, stdin."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys

from bastion.logs import analyze_logs, sources
from bastion.logs.formats import access, error_log, journald, jsonl, textlog
from bastion.logs.formats.nginx_conf import read as read_nginx
from bastion.logs.reader import sniff

from tests.logs.support import access as access_line, nginx_error, rules_of, write


def test_combined_and_common_lines_parse_with_apache_escapes():
    combined = access.BUILTIN.compiled()
    record = access.parse_line(combined, access_line("203.0.113.4", "/a?q=1", 404, agent="curl/8"), "f", 3)
    assert (record.client, record.method, record.target, record.status, record.user_agent, record.line) == \
        ("203.0.113.4", "GET", "/a?q=1", 404, "curl/8", 3)
    assert record.time == 1796641200.0
    common = access.parse_line(combined, '198.51.100.2 - bob [07/Dec/2026:11:00:00 +0000] "GET /x\\"y HTTP/1.0" 200 -', "f", 1)
    assert common.user == "bob" and common.target == '/x"y' and common.user_agent == ""
    nginx_escaped = access.parse_line(combined, '1.2.3.4 - - [07/Dec/2026:11:00:00 +0000] "GET /x\\x22y HTTP/1.1" 200 1 "-" "-"', "f", 1)
    assert nginx_escaped.target == '/x"y'


def test_the_users_own_log_format_from_nginx_conf(tmp_path):
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        "events {}\nhttp {\n"
        "  log_format edge '$remote_addr [$time_iso8601] \"$request\" $status $request_time '\n"
        "                  'ua=\"$http_user_agent\" xff=\"$http_x_forwarded_for\"';\n"
        "  server { access_log /var/log/nginx/edge.log edge; }\n}\n")
    formats = read_nginx(conf)
    layout = formats.for_log("/srv/logs/edge.log.1")
    assert layout is formats.formats["edge"]
    line = '10.0.0.5 [2026-12-07T11:00:00+00:00] "GET /search?q=%27%20or%201=1-- HTTP/1.1" 200 0.004 ua="Mozilla" xff="203.0.113.9"'
    record = access.parse_line(layout.compiled(), line, "edge.log", 1)
    assert (record.client, record.forwarded_for, record.status, record.user_agent) == ("10.0.0.5", "203.0.113.9", 200, "Mozilla")
    log = write(tmp_path, "edge.log", [line])
    report = analyze_logs([log], nginx_conf=str(conf))
    [finding] = rules_of(report)["log-sql-injection"]
    assert finding.incident.client == "203.0.113.9"  # the private peer is a proxy: the client is in X-Forwarded-For


def test_unknown_log_format_name_is_a_clear_error(tmp_path):
    import pytest

    from bastion.logs import LogRunError

    conf = tmp_path / "nginx.conf"
    conf.write_text("events {}\nhttp { log_format main '$remote_addr $status'; }\n")
    with pytest.raises(LogRunError, match="not defined"):
        analyze_logs([write(tmp_path, "a.log", ["1.2.3.4 200"])], nginx_conf=str(conf), log_format="nope")


def test_nginx_and_apache_error_lines():
    limited = error_log.parse_line(nginx_error('limiting requests, excess: 5.120 by zone "login", client: 203.0.113.7, '
                                               'server: _, request: "POST /login HTTP/1.1", host: "x"'), "e", 1)
    assert (limited.client, limited.zone, limited.method, limited.target, limited.level) == \
        ("203.0.113.7", "login", "POST", "/login", "error")
    auth = error_log.parse_line(nginx_error('user "admin": password mismatch, client: 203.0.113.8, server: _'), "e", 2)
    assert (auth.user, auth.client) == ("admin", "203.0.113.8")
    apache = error_log.parse_line("[Mon Dec 07 11:00:00.123456 2026] [auth_basic:error] [pid 12] [client 203.0.113.9:5555] "
                                  "AH01618: user bob not found: /private", "e", 3)
    assert (apache.client, apache.user, apache.level) == ("203.0.113.9", "bob", "error")


def test_json_libraries_fields():
    pino = jsonl.parse_line(json.dumps({"level": 50, "time": 1796641200000, "msg": "boom", "req": {
        "method": "GET", "url": "/x", "remoteAddress": "203.0.113.5"}}), "p", 1)
    assert (pino.level, pino.time, pino.kind, pino.client) == ("error", 1796641200.0, "app", "203.0.113.5")
    caddy = jsonl.parse_line(json.dumps({"level": "info", "ts": 1796641200.5, "msg": "handled request", "request": {
        "remote_ip": "203.0.113.6", "method": "GET", "uri": "/a?b=1", "headers": {"User-Agent": ["sqlmap/1.7"]}}, "status": 404}), "c", 1)
    assert (caddy.kind, caddy.client, caddy.status, caddy.user_agent, caddy.target) == ("access", "203.0.113.6", 404, "sqlmap/1.7", "/a?b=1")
    structlog = jsonl.parse_line('{"event": "login failed", "level": "warning", "timestamp": "2026-12-07T11:00:00Z", "username": "ann"}', "s", 1)
    assert (structlog.message, structlog.level, structlog.user, structlog.time) == ("login failed", "warning", "ann", 1796641200.0)
    winston = jsonl.parse_line('{"message":"db down","level":"error","timestamp":"2026-12-07T11:00:00.250Z","stack":"Error: x\\n    at f (/app/db.js:3:9)"}', "w", 1)
    assert winston.level == "error" and "/app/db.js" in winston.message
    uvicorn = jsonl.parse_line(json.dumps({  # python-json-logger with uvicorn's access fields
        "asctime": "2026-12-07 11:00:00,120", "levelname": "INFO", "name": "uvicorn.access", "client_addr": "203.0.113.7:51234",
        "request_line": "GET /items?id=1%27%20OR%201=1-- HTTP/1.1", "status_code": 200}), "u", 1)
    assert (uvicorn.kind, uvicorn.client, uvicorn.method, uvicorn.target, uvicorn.status, uvicorn.time) == (
        "access", "203.0.113.7", "GET", "/items?id=1%27%20OR%201=1--", 200, 1796641200.12)
    gunicorn = jsonl.parse_line('{"remote_ip": "203.0.113.8", "request": "POST /login HTTP/1.1", "status": "401", '
                                '"time": "[07/Dec/2026:11:00:00 +0000]", "user_agent": "curl/8.4.0"}', "g", 1)
    assert (gunicorn.kind, gunicorn.client, gunicorn.method, gunicorn.target, gunicorn.status, gunicorn.time) == (
        "access", "203.0.113.8", "POST", "/login", 401, 1796641200.0)
    assert jsonl.parse_line("not json", "x", 1) is None and jsonl.parse_line("[1, 2]", "x", 1) is None


def test_journald_entries_hand_their_message_to_its_own_format(tmp_path):
    lines = [json.dumps({"__REALTIME_TIMESTAMP": "1796641200000000", "PRIORITY": "6", "_SYSTEMD_UNIT": "nginx.service",
                         "MESSAGE": access_line("203.0.113.3", "/?q=%3Cscript%3Ealert(1)%3C/script%3E")}),
             json.dumps({"__REALTIME_TIMESTAMP": "1796641201000000", "PRIORITY": "3", "_SYSTEMD_UNIT": "app.service",
                         "MESSAGE": [111, 107]})]
    assert journald.entry(lines[1])[:3] == ("ok", 1796641201.0, "error")
    report = analyze_logs([write(tmp_path, "journal.json", lines)])
    assert rules_of(report)["log-xss"][0].incident.client == "203.0.113.3"


def test_python_and_node_tracebacks_are_one_event_each():
    lines = ["2026-12-07 11:00:00,120 ERROR app.views: lookup failed",
             "Traceback (most recent call last):",
             '  File "/usr/lib/python3/site-packages/flask/app.py", line 880, in dispatch',
             "    return view()",
             '  File "/srv/app/views.py", line 42, in show_user',
             "    row = db.execute(sql)",
             "sqlite3.OperationalError: near \"x\": syntax error",
             "2026-12-07 11:00:01,000 INFO app: next",
             "TypeError: Cannot read properties of undefined (reading 'id')",
             "    at getUser (/srv/api/users.js:17:21)",
             "    at processTicksAndRejections (node:internal/process/task_queues:95:5)"]
    assembler = textlog.Assembler()
    records = [r for i, line in enumerate(lines, 1) if (r := assembler.push(line, "app.log", i))] + [assembler.flush()]
    assert [(r.line, r.end_line) for r in records] == [(1, 7), (8, 8), (9, 11)]
    assert records[0].level == "error"


def test_gzip_rotations_are_read_oldest_first(tmp_path):
    folder = tmp_path / "logs"
    folder.mkdir()
    (folder / "access.log").write_text(access_line("203.0.113.1", "/new", at=300) + "\n")
    (folder / "access.log.1").write_text(access_line("203.0.113.1", "/mid", at=200) + "\n")
    with gzip.open(folder / "access.log.2.gz", "wt") as out:
        out.write(access_line("203.0.113.1", "/old", at=100) + "\n")
    (folder / "notes.md").write_text("not a log")
    names = [s.path.name for s in sources.expand([str(folder)])]
    assert names == ["access.log.2.gz", "access.log.1", "access.log"]
    report = analyze_logs([str(folder)])
    assert report.details["lines_read"] == 3 and report.details["records"] == {}


def test_sniffing_picks_the_format_most_lines_are_in():
    assert sniff([access_line("1.2.3.4", "/")] * 3, access.BUILTIN) == "access"
    assert sniff([nginx_error("x")] * 3, access.BUILTIN) == "error"
    assert sniff(['{"msg": "x"}'] * 3, access.BUILTIN) == "json"
    assert sniff(['{"MESSAGE": "x", "__REALTIME_TIMESTAMP": "1"}'], access.BUILTIN) == "journald"
    assert sniff(["hello", "world"], access.BUILTIN) == "text"


def test_stdin_through_the_cli():
    line = access_line("203.0.113.2", "/?id=1%20UNION%20SELECT%201,2--") + "\n"
    done = subprocess.run([sys.executable, "-m", "bastion", "logs", "-", "-f", "json"], input=line.encode(),
                          capture_output=True, timeout=60)
    assert done.returncode == 1, done.stderr
    data = json.loads(done.stdout)
    assert data["findings"][0]["rule_id"] == "log-sql-injection"
    assert data["summary"]["details"]["lines_read"] == 1
