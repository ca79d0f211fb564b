"""The auth file: shapes accepted, mistakes named, credentials never in evidence; fuzzed."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bastion.dast.auth import AuthError, load_auth, parse_auth
from bastion.dast.client import Exchange, Request
from bastion.dast.evidence import request_text, response_text


def test_identities_logins_and_operation_lists():
    config = parse_auth({
        "identities": [
            {"name": "a", "login": {"request": "post /login", "form": {"user": "a", "pass": "p"},
                                    "token": {"cookie": "sid"}, "use": {"cookie": "sid"}}},
            {"name": "b", "role": "admin", "headers": {"X-Api-Key": "k-123"}},
        ],
        "skip": ["POST /logout"], "valid_only": ["POST /password"], "destructive": ["POST /account/delete"],
        "sensitive": ["POST /reset"], "admin_operations": ["GET /admin"],
    })
    a, b = config.identities
    assert a.login.method == "POST" and a.login.token_from == ("cookie", "sid") and a.login.use_as == ("cookie", "sid", "")
    assert b.is_admin and b.headers == {"X-Api-Key": "k-123"}
    assert config.login.key == "POST /login"  # taken from the first identity's login
    assert config.skip == {"POST /logout"} and config.admin_operations == {"GET /admin"}
    assert config.login_keys() == {"POST /login"}


def test_static_headers_make_a_default_identity():
    config = parse_auth({"headers": {"Authorization": "Bearer t"}})
    assert [i.name for i in config.identities] == ["default"]


@pytest.mark.parametrize("data, message", [
    ([], "top level"),
    ({"identity": []}, "unknown key"),
    ({"identities": [{"role": "user"}]}, "needs a 'name'"),
    ({"identities": [{"name": "a"}, {"name": "a"}]}, "unique"),
    ({"identities": [{"name": "a", "login": {"request": "login"}}]}, "METHOD /path"),
    ({"identities": [{"name": "a", "login": {"request": "POST /l", "token": {"json": "t", "header": "h"}}}]}, "login.token"),
    ({"skip": "POST /x"}, "must be a list"),
])
def test_mistakes_are_named(data, message):
    with pytest.raises(AuthError, match=message):
        parse_auth(data)


def test_unreadable_file_is_an_auth_error(tmp_path):
    with pytest.raises(AuthError, match="cannot read"):
        load_auth(str(tmp_path / "none.yaml"))
    bad = tmp_path / "a.yaml"
    bad.write_text("identities: [")
    with pytest.raises(AuthError, match="neither JSON nor YAML"):
        load_auth(str(bad))


def test_evidence_masks_credentials_and_cookie_values():
    request = Request("POST", "/login", headers=(("Authorization", "Bearer abc.def.ghi"), ("X-Trace", "1")),
                      json={"user": "a", "password": "hunter22"})
    exchange = Exchange(request, "http://127.0.0.1:1/login", 200,
                        (("Set-Cookie", "sid=s3cr3t-value; HttpOnly"), ("Date", "Mon")), '{"token": "abc.def.ghi"}', 0.1)
    sent = request_text(exchange, ("hunter22", "abc.def.ghi"))
    got = response_text(exchange, ("abc.def.ghi",))
    assert "abc.def.ghi" not in sent + got and "hunter22" not in sent and "s3cr3t-value" not in got
    assert "Authorization: <redacted>" in sent and "sid=<redacted>; HttpOnly" in got
    assert "Date" not in got  # volatile headers left out: reports stay byte-identical


@settings(max_examples=300, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=15),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
                        st.sampled_from(["identities", "name", "login", "request", "token", "use", "json", "form",
                                         "headers", "skip", "params", "role", "x"]), inner, max_size=4),
                    max_leaves=25))
def test_fuzz_auth_parses_or_fails_cleanly(data):
    try:
        parse_auth(data)
    except AuthError:
        pass


def test_login_operation_is_inferred_from_the_spec_when_not_named():
    from bastion.dast.auth import infer_login
    from bastion.dast.spec import parse_spec

    def spec(path: str, fields: list[str], media: str = "application/json"):
        body = {"content": {media: {"schema": {"type": "object", "properties": {f: {"type": "string"} for f in fields}}}}}
        return parse_spec({"openapi": "3.0.0", "paths": {"/api/items": {"post": {"requestBody": body}},
                                                          path: {"post": {"requestBody": body}}}}).operations

    login = infer_login(spec("/auth/sign-in", ["email", "password", "remember"], "application/x-www-form-urlencoded"))
    assert (login.key, login.username_field, login.password_field) == ("POST /auth/sign-in", "email", "password")
    assert infer_login(spec("/api/users", ["username", "password"])) is None  # a sign-up, not a login path
    assert infer_login(spec("/login", ["username"])) is None
