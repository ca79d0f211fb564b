"""A small web application of our own for scanners to attack, writing a combined-format access log.

Routes: ``/item?id=`` (a SQLite lookup built by string formatting: injectable on purpose),
``/search?q=`` (reflects input), ``/login`` (POST, always 401), everything else 404.
Run: ``python target_app.py PORT LOGFILE``; it serves on 127.0.0.1 only.
"""

from __future__ import annotations

import sqlite3
import sys
import time
from urllib.parse import parse_qs, urlsplit
from wsgiref.simple_server import WSGIRequestHandler, make_server

DB = sqlite3.connect(":memory:", check_same_thread=False)
DB.execute("CREATE TABLE items (id INTEGER, name TEXT)")
DB.executemany("INSERT INTO items VALUES (?, ?)", [(i, f"item {i}") for i in range(1, 20)])


def app(environ, start_response):
    url = urlsplit(environ.get("RAW_URI") or environ["PATH_INFO"] + ("?" + environ["QUERY_STRING"] if environ.get("QUERY_STRING") else ""))
    query = parse_qs(environ.get("QUERY_STRING", ""))
    path = environ["PATH_INFO"]
    status, body = "404 Not Found", b"not found"
    if path == "/item":
        try:
            sql = "SELECT name FROM items WHERE id = %s" % query.get("id", ["1"])[0]
            rows = DB.execute(sql).fetchall()  # bastion: ignore[sql-injection] -- the scanners' target is injectable on purpose
            status, body = "200 OK", repr(rows).encode()
        except sqlite3.Error as exc:
            status, body = "500 Internal Server Error", str(exc).encode()
    elif path == "/search":
        status, body = "200 OK", ("<p>" + query.get("q", [""])[0] + "</p>").encode()
    elif path == "/login":
        status, body = "401 Unauthorized", b"no"
    elif path == "/":
        status, body = "200 OK", b"<a href='/item?id=1'>item</a> <form action='/search'><input name=q></form>"
    start_response(status, [("Content-Type", "text/html"), ("Content-Length", str(len(body)))])
    environ["bench.status"] = status[:3]
    environ["bench.size"] = len(body)
    return [body]


class Handler(WSGIRequestHandler):
    log_file = None

    def log_request(self, code="-", size="-"):
        stamp = time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime())
        agent = self.headers.get("User-Agent", "-").replace('"', "\\x22")
        referer = self.headers.get("Referer", "-").replace('"', "\\x22")
        request = self.requestline.replace('"', "\\x22")
        self.log_file.write(f'{self.client_address[0]} - - [{stamp}] "{request}" {code} {size} "{referer}" "{agent}"\n')
        self.log_file.flush()

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    port, log = int(sys.argv[1]), sys.argv[2]
    Handler.log_file = open(log, "a", encoding="utf-8")
    make_server("127.0.0.1", port, app, handler_class=Handler).serve_forever()
