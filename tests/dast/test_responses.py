"""Reading what a hostile server sends back: bodies, headers, tokens. Fuzzed: a response must never crash a run."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bastion.dast.checks import jwt
from bastion.dast.checks.injection import dbms_error
from bastion.dast.checks.passive import exposed_fields, header_problems, stack_trace
from bastion.dast.client import Exchange, Request
from bastion.dast.confirm import signature


def _exchange(body: str = "", headers=(), status: int = 200) -> Exchange:
    return Exchange(Request("GET", "/"), "http://127.0.0.1:1/", status, tuple(headers), body, 0.01)


def test_dbms_is_named_from_its_error():
    assert dbms_error('sqlite3.OperationalError: near "x": syntax error') == "SQLite"
    assert dbms_error("You have an error in your SQL syntax; check the manual that corresponds to your MySQL") == "MySQL"
    assert dbms_error('ERROR: unterminated quoted string at or near "\'"') == "PostgreSQL"
    assert dbms_error("Unclosed quotation mark after the character string ''.") == "Microsoft SQL Server"
    assert dbms_error("ORA-01756: quoted string not properly terminated") == "Oracle"
    assert dbms_error('{"error": "invalid name"}') is None


def test_stack_traces_by_platform():
    assert stack_trace('Traceback (most recent call last):\n  File "/app/x.py", line 3') == "Python traceback"
    assert stack_trace("<pre>Error: x<br> &nbsp; &nbsp;at /srv/app.js:96:27<br>") == "Node.js stack trace"
    assert stack_trace("Error\n    at Object.<anonymous> (/srv/index.js:1:7)") == "Node.js stack trace"
    assert stack_trace("NullPointerException\n\tat com.acme.Api.get(Api.java:42)") == "Java stack trace"
    assert stack_trace("goroutine 1 [running]:") == "Go panic"
    assert stack_trace('{"error": "at least one field is required"}') is None


def test_exposed_fields_names_keys_hashes_and_provider_credentials():
    body = ('{"user": {"name": "a", "password_hash": "$2b$12$abcdefghijklmnopqrstuv", "hash_id": "x"},'
            ' "items": [{"api_key": "k"}], "password": ""}')
    assert exposed_fields(_exchange(body, [("Content-Type", "application/json")])) == ["items[].api_key", "user.password_hash"]
    aws = '{"note": "%s"}' % ("AKIA" + "Z7QW3RTYUIOPASDF")  # bastion: ignore[hardcoded-secret] -- made up, for the detector
    assert exposed_fields(_exchange(aws)) == ["aws-access-key-id credential"]
    assert exposed_fields(_exchange('{"id": 1, "name": "lamp"}')) == []


def test_header_problems():
    html = _exchange("<p>", [("Content-Type", "text/html"), ("Server", "nginx/1.25.3"),
                             ("Set-Cookie", "sessionid=1; Path=/"), ("Set-Cookie", "theme=dark; SameSite=Lax")])
    assert header_problems(html, https=True) == [
        "X-Content-Type-Options", "Content-Security-Policy", "X-Frame-Options", "Strict-Transport-Security",
        "version disclosure in Server", "cookie sessionid without HttpOnly", "cookie sessionid without Secure",
        "cookie sessionid without SameSite", "cookie theme without Secure"]
    safe = _exchange("{}", [("Content-Type", "application/json"), ("X-Content-Type-Options", "nosniff"), ("Server", "app")])
    assert header_problems(safe, https=False) == []


def test_jwt_round_trip_and_offline_crack():
    token = jwt.encode({"alg": "HS256", "typ": "JWT"}, {"sub": "alice"}, b"changeme")
    assert jwt.decode(token) == ({"alg": "HS256", "typ": "JWT"}, {"sub": "alice"})
    assert jwt.crack(token) == "changeme"
    assert jwt.crack(jwt.encode({"alg": "HS256"}, {"sub": "a"}, b"9f8e7d6c5b4a-not-in-any-list")) is None
    assert jwt.crack(jwt.encode({"alg": "none"}, {"sub": "a"}, None)) is None


def test_signature_ignores_echoed_input_only():
    assert signature(_exchange("no user named x'y"), "x'y") == signature(_exchange("no user named abc"), "abc")
    assert signature(_exchange("1 row")) != signature(_exchange("0 rows"))


_headers = st.lists(st.tuples(st.sampled_from(["Content-Type", "Set-Cookie", "Server", "X-Powered-By", "content-security-policy", "X"]),
                              st.text(max_size=40)), max_size=6)


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=400), _headers, st.integers(0, 599))
def test_fuzz_response_readers_never_raise(body, headers, status):
    exchange = _exchange(body, headers, status)
    exchange.json()
    stack_trace(body)
    dbms_error(body)
    exposed_fields(exchange)
    header_problems(exchange, https=True)
    signature(exchange, body[:5])


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120) | st.builds(lambda a, b, c: f"{a}.{b}.{c}", st.text(max_size=30), st.text(max_size=30), st.text(max_size=20)))
def test_fuzz_tokens_never_raise(text):
    jwt.decode(text)
    jwt.crack(text)


def test_delay_proof_needs_slow_fast_slow():
    from bastion.dast.confirm import prove_delay

    def sender(times):
        answers = iter(times)
        return lambda delay: _exchange_with(next(answers))

    assert prove_delay(sender([2.1, 0.1, 2.2]), 2.0, 0.05) is not None
    assert prove_delay(sender([2.1, 1.9, 1.8, 2.2]), 2.0, 0.05) is None       # the zero delay is slow twice: load
    assert prove_delay(sender([2.1, 1.9, 0.1, 2.2]), 2.0, 0.05) is not None   # slow once, then fast: retried
    assert prove_delay(sender([2.1, 0.1, 0.2]), 2.0, 0.05) is None            # not slow again
    assert prove_delay(sender([0.3]), 2.0, 0.05) is None


def _exchange_with(elapsed: float) -> Exchange:
    return Exchange(Request("GET", "/"), "http://127.0.0.1:1/", 200, (), "", elapsed)


def test_signature_ignores_input_the_server_echoes_html_escaped():
    """A template that escapes the echo (Jinja2/MarkupSafe's ``&#39;``, Python's ``&#x27;``) answers the true and the
    false SQL condition with bodies that differ only by our literals: that is not SQL logic."""
    true, false = "x' OR 42=42-- ", "x' OR 42=43-- "
    for quote in ("&#39;", "&#x27;"):
        page = "Hello x{q} OR 42={n}-- "
        assert (signature(_exchange(page.format(q=quote, n=42)), true)
                == signature(_exchange(page.format(q=quote, n=43)), false))
    assert signature(_exchange('say &#34;hi&#34;'), 'say "hi"') == signature(_exchange("say &quot;yo&quot;"), 'say "yo"')
