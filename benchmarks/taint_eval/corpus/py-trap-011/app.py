import sqlite3
from flask import Flask, request

app = Flask(__name__)


@app.route("/page")
def page():
    offset = int(request.args.get("offset", 0))
    conn = sqlite3.connect("app.db")
    rows = conn.execute(f"SELECT title FROM posts ORDER BY id LIMIT 20 OFFSET {offset}").fetchall()
    return {"titles": [r[0] for r in rows]}
