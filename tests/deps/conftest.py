"""The advisory database every deps test uses: the real OSV snapshot in shared/osv, imported once per session
through the same code path as ``bastion db update --from``."""

from __future__ import annotations

from pathlib import Path

import pytest

from bastion.core.engine_api import WorkspaceContext
from tests.project_support import shared_dir

SHARED_OSV = shared_dir() / "osv"


@pytest.fixture(scope="session")
def osv_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not SHARED_OSV.is_dir():
        pytest.skip(f"the OSV snapshot is not at {SHARED_OSV}")
    from bastion.interfaces.cli import main

    directory = tmp_path_factory.mktemp("osv-db")
    assert main(["db", "update", "--from", str(SHARED_OSV), "--db-dir", str(directory)]) == 0
    return directory


@pytest.fixture()
def db_env(osv_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the default database location at the session database, and accept its age: the snapshot's
    newest advisory is from 2024, so without this every audit would stop as out of date (which
    tests/deps/test_fail_closed.py checks)."""
    monkeypatch.setenv("BASTION_DB_DIR", str(osv_db))
    monkeypatch.setenv("BASTION_ALLOW_STALE_DB", "1")
    return osv_db


def write_tree(root: Path, files: dict[str, str]) -> None:
    for relpath, text in files.items():
        target = root / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def run_engine(root: Path, options: dict | None = None):
    """The deps engine over every file under ``root``, as the runner calls it: (findings, notes)."""
    from bastion.deps.engine import DepsEngine
    from bastion.core.model import Note

    paths = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    items = list(DepsEngine().check_workspace(WorkspaceContext(root, paths, dict(options or {}))))
    return [i for i in items if not isinstance(i, Note)], [i for i in items if isinstance(i, Note)]


@pytest.fixture()
def engine_run(db_env: Path):
    return lambda root, options=None: run_engine(root, options)




class _Server:
    """A registry of the test's own on 127.0.0.1: path -> (JSON document or raw bytes); anything else is 404."""

    def __init__(self) -> None:
        import http.server
        import json
        import threading

        self.files: dict[str, object] = {}
        files = self.files

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
                body = files.get(self.path)
                if body is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


@pytest.fixture()
def registry_server():
    server = _Server()
    yield server
    server.close()
