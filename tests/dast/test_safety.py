"""Scope, budgets and failures: loopback only unless allowed, budgets enforced, clear errors with exit 2."""

from __future__ import annotations

import functools
import json
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

import bastion
from bastion.interfaces.cli import main
from bastion.dast.client import Client, Request
from bastion.dast.options import DastError
from bastion.dast.scope import Scope, is_loopback, normalize_target
from tests.dast.apps import free_port, running

SPEC = {"openapi": "3.0.0", "info": {"title": "t", "version": "1"},
        "paths": {f"/item{i}.json": {"get": {"responses": {"200": {"description": "ok"}}}} for i in range(5)}}


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def static_site(tmp_path):
    """A plain file server on 127.0.0.1 serving a spec and a few JSON files."""
    (tmp_path / "openapi.json").write_text(json.dumps(SPEC))
    for i in range(5):
        (tmp_path / f"item{i}.json").write_text('{"ok": true}')
    (tmp_path / "broken.json").write_text("{not json")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("host, loopback", [("127.0.0.1", True), ("127.9.9.9", True), ("::1", True), ("[::1]", True),
                                            ("localhost", True), ("app.localhost", True), ("10.0.0.1", False),
                                            ("example.com", False), ("127.0.0.1.nip.io", False)])
def test_loopback(host, loopback):
    assert is_loopback(host) is loopback


def test_other_hosts_need_allow_host():
    with pytest.raises(DastError, match="--allow-host example.com"):
        Scope("https://example.com", ())
    scope = Scope("https://example.com", ("example.com",))
    scope.require("https://example.com/x")
    with pytest.raises(DastError, match="outside the scope"):
        scope.require("http://169.254.169.254/latest/meta-data/")


@pytest.mark.parametrize("target", ["ftp://127.0.0.1", "127.0.0.1:8000", "http://user:pw@127.0.0.1", "http://127.0.0.1:99999"])
def test_bad_targets(target):
    with pytest.raises(DastError):
        normalize_target(target)


def test_cli_refuses_a_remote_target_before_sending_anything(capsys):
    assert main(["dast", "--target", "http://192.0.2.10:8080", "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "not a loopback address" in err and "Traceback" not in err


def test_cli_unreachable_target_is_a_clear_error(capsys):
    assert main(["dast", "--target", f"http://127.0.0.1:{free_port()}", "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "cannot reach" in err and "Traceback" not in err


def test_cli_bad_spec_is_a_clear_error(static_site, tmp_path, capsys):
    assert main(["dast", "--target", static_site, "--openapi", "/broken.json", "--no-progress"]) == 2
    assert "neither JSON nor YAML" in capsys.readouterr().err
    assert main(["dast", "--target", static_site, "--openapi", str(tmp_path / "nope.yaml"), "--no-progress"]) == 2
    assert "no such local file" in capsys.readouterr().err
    assert main(["dast", "--target", static_site, "--openapi", "nope.yaml", "--no-progress"]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["dast", "--target", static_site, "--auth", str(tmp_path / "nope.yaml"), "--no-progress"]) == 2
    assert "cannot read auth file" in capsys.readouterr().err


def test_request_budget_is_enforced_and_said(static_site):
    report = bastion.dast_scan(static_site, max_requests=12)
    assert report.summary.requests_sent == 12
    assert report.summary.stopped_early and "request budget" in report.summary.stopped_early
    assert any("stopped before finishing" in n.message for n in report.notes)


def test_client_counts_and_refuses_past_the_budget(static_site):
    from bastion.dast.client import BudgetExhausted

    client = Client(static_site, Scope(static_site), max_requests=2, max_time=30, concurrency=1, timeout=5)
    try:
        assert client.send(Request("GET", "/item0.json")).json() == {"ok": True}
        client.send(Request("GET", "/missing"))
        with pytest.raises(BudgetExhausted):
            client.send(Request("GET", "/item1.json"))
    finally:
        client.close()


def test_spec_from_a_file_and_nothing_written(static_site, tmp_path, monkeypatch):
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(SPEC))
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    report = bastion.dast_scan(static_site, openapi=str(spec))
    assert report.summary.operations_covered == 5
    assert list(work.iterdir()) == []


def test_skipped_operations_are_never_sent(tmp_path):
    auth = tmp_path / "auth.yaml"
    auth.write_text("identities:\n  - {name: alice, login: {request: POST /api/login, json: {username: alice, password: alice-pass-1}}}\n"
                    "skip: [PATCH /api/users/me]\n")
    with running("fastapi") as url:
        report = bastion.dast_scan(url, auth=str(auth), checks=["passive"])
    assert report.summary.operations_total == 8 and report.summary.operations_covered == 7
    assert not any(f.endpoint.method == "PATCH" for f in report.findings)


def test_delete_is_sent_only_when_allowed(static_site, tmp_path):
    spec = json.loads(json.dumps(SPEC))
    spec["paths"]["/item0.json"]["delete"] = {"responses": {"204": {"description": "gone"}}}
    file = tmp_path / "with-delete.json"
    file.write_text(json.dumps(spec))
    assert bastion.dast_scan(static_site, openapi=str(file), checks=["passive"]).summary.operations_covered == 5
    assert bastion.dast_scan(static_site, openapi=str(file), checks=["passive"],
                             allow_destructive=True).summary.operations_covered == 6


def test_unknown_check_is_named():
    with pytest.raises(DastError, match="unknown check"):
        bastion.dast_scan("http://127.0.0.1:9", checks=["sqlmap"])
