"""The deliberately vulnerable test APIs (tests/fixtures/dast) started on 127.0.0.1 on a free port, and stopped.

Express needs `make dast-apps` (npm ci from the lock file with integrity hashes): a missing install fails the
test with that instruction; nothing is skipped silently.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import httpx

APPS = Path(__file__).resolve().parent.parent / "fixtures" / "dast"
AUTH = {"flask": None, "fastapi": APPS / "fastapi_auth.yaml", "express": APPS / "express_auth.yaml"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def command(app: str, port: int, fixed: bool) -> list[str]:
    flags = ["--port", str(port)] + (["--fixed"] if fixed else [])
    if app == "express":
        node = shutil.which("node")
        if node is None or not (APPS / "express" / "node_modules" / "express").is_dir():
            raise RuntimeError("the Express test app is not installed: run `make dast-apps` (needs node and npm)")
        return [node, str(APPS / "express" / "app.js"), *flags]
    return [sys.executable, str(APPS / f"{app}_app.py"), *flags]


@contextmanager
def running(app: str, fixed: bool = False) -> Iterator[str]:
    """Start ``app`` (flask, fastapi or express), yield its base URL once it answers, stop it."""
    port = free_port()
    env = {**os.environ, "NODE_ENV": "development", "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(command(app, port, fixed), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               env=env, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(url + "/openapi.json", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{app} test app did not start: {process.stderr.read().decode()[-2000:]}")
            time.sleep(0.1)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        process.stderr.close()
