"""Bastion's own HTTP server on 127.0.0.1: SSRF and open-redirect probes point the target at it, and a request
arriving here with the probe's random token is the proof."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"

    def _answer(self) -> None:
        self.server.record(self.path)
        body = b"bastion canary"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_POST = do_HEAD = do_PUT = _answer

    def log_message(self, *args) -> None:  # the canary never writes logs
        return


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.paths: list[str] = []
        self.lock = threading.Lock()

    def record(self, path: str) -> None:
        with self.lock:
            if len(self.paths) < 10_000:
                self.paths.append(path)


class Canary:
    """Start with ``with Canary() as canary:``; ``url(token)`` to hand out, ``seen(token)`` to check."""

    def __init__(self) -> None:
        self._server = _Server()
        self._thread = threading.Thread(target=self._server.serve_forever, name="bastion-canary", daemon=True)

    def __enter__(self) -> "Canary":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def origin(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, token: str) -> str:
        return f"{self.origin}/{token}"

    def seen(self, token: str, wait: float = 1.5) -> bool:
        """Whether a request for ``token`` arrived, waiting up to ``wait`` seconds for a slow fetch."""
        deadline = time.monotonic() + wait
        while True:
            with self._server.lock:
                if any(token in p for p in self._server.paths):
                    return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.05)
