"""The MCP server takes its settings from --root, and asks the registries only when started with --online."""

from __future__ import annotations

import http.server
import json
import os
import sys
import threading
from pathlib import Path

import anyio
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters

SRC = str(Path(__file__).resolve().parents[2] / "src")
PICKLE_SNIPPET = ("import pickle, base64\n\ndef load(request):\n    raw = request.cookies.get('s')\n"
                  "    return pickle.loads(base64.b64decode(raw))\n")
SHELL_SNIPPET = "import subprocess\n\ndef run(cmd):\n    return subprocess.run(cmd, shell=True)\n"
PACKAGES = [{"ecosystem": "pypi", "name": "requests", "version": "2.31.0"},
            {"ecosystem": "pypi", "name": "requests-auth-magic", "version": "1.0.0"}]


class Registry:
    """A PyPI JSON API of the test's own on 127.0.0.1 that knows one package and counts the requests it gets."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        seen = self.paths
        known = json.dumps({"info": {}, "releases": {"2.31.0": [{"upload_time_iso_8601": "2015-01-01T00:00:00Z",
                                                                 "yanked": False}]}}).encode()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
                seen.append(self.path)
                if self.path != "/pypi/requests/json":
                    self.send_response(404)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(known)))
                self.end_headers()
                self.wfile.write(known)

            def log_message(self, *args: object) -> None:
                pass

        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


@pytest.fixture()
def registry():
    server = Registry()
    yield server
    server.close()


def _project(tmp_path: Path, registry_url: str) -> tuple[Path, Path]:
    """A project whose config turns a rule off and names the registry, and an unrelated working directory."""
    root = tmp_path / "project"
    root.mkdir()
    (root / "bastion.toml").write_text(
        'disable-rules = ["unsafe-deserialization"]\n\n'
        f'[deps]\npypi_url = "{registry_url}"\nlookalike = false\n', "utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    return root, elsewhere


def _session(root: Path, cwd: Path, *extra: str) -> dict:
    env = {"PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", ""), "BASTION_DB_DIR": str(root / "no-db"),
           "BASTION_ALLOW_STALE_DB": "1", "BASTION_CACHE_DIR": os.environ["BASTION_CACHE_DIR"],
           "BASTION_STATE_DIR": os.environ["BASTION_STATE_DIR"]}
    params = StdioServerParameters(command=sys.executable, args=["-m", "bastion", "mcp", "--root", str(root), *extra],
                                   env=env, cwd=str(cwd))

    async def main():
        async with Client(params, read_timeout_seconds=120) as client:
            out = {}
            for key, code in (("pickle", PICKLE_SNIPPET), ("shell", SHELL_SNIPPET)):
                result = await client.call_tool("scan_code", {"code": code, "filename": "app.py"})
                assert not result.is_error, result.content
                out[key] = json.loads(result.content[0].text)
            result = await client.call_tool("check_packages", {"packages": PACKAGES})
            assert not result.is_error, result.content
            out["packages"] = json.loads(result.content[0].text)
            return out
    return anyio.run(main)


def _rules(answer: dict) -> list[tuple[str, str | None]]:
    return [(f["rule_id"], f.get("package")) for f in answer["findings"]]


def test_online_server_uses_root_settings_and_asks_the_registry(tmp_path: Path, registry: Registry) -> None:
    root, elsewhere = _project(tmp_path, registry.url)
    out = _session(root, elsewhere, "--online")
    assert "unsafe-deserialization" not in [r for r, _ in _rules(out["pickle"])]
    assert "command-injection" in [r for r, _ in _rules(out["shell"])]
    assert ("nonexistent-package", "requests-auth-magic") in _rules(out["packages"])
    assert not [r for r in _rules(out["packages"]) if r[1] == "requests" and r[0] == "nonexistent-package"]
    assert sorted(set(registry.paths)) == ["/pypi/requests-auth-magic/json", "/pypi/requests/json"]


def test_server_stays_offline_by_default(tmp_path: Path, registry: Registry) -> None:
    root, elsewhere = _project(tmp_path, registry.url)
    out = _session(root, elsewhere)
    assert "nonexistent-package" not in [r for r, _ in _rules(out["packages"])]
    assert registry.paths == []
