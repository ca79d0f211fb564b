import sqlite3

from flask import Flask, abort, jsonify, request

app = Flask(__name__)


@app.get("/tags")
def tags():
    prefix = request.args.get("prefix", "")
    if "'" in prefix or "\\" in prefix:
        abort(400)
    db = sqlite3.connect("blog.db")
    rows = db.execute(f"SELECT name FROM tags WHERE name LIKE '{prefix}%'").fetchall()
    return jsonify([r[0] for r in rows])
