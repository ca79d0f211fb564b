import sqlite3

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.get("/user")
def user():
    handle = request.args.get("handle")
    if not handle or not handle.isalnum():
        return jsonify(error="bad handle"), 400
    db = sqlite3.connect("app.db")
    row = db.execute(f"SELECT id, bio FROM users WHERE handle = '{handle}'").fetchone()
    return jsonify(row)
