"""User service for the profile app, written the careful way."""
import base64
import json
import sqlite3
import subprocess

import bcrypt
from flask import Flask, abort, request

app = Flask(__name__)
DB_PATH = "users.db"
ALLOWED_HOSTS = {"db.internal", "cache.internal"}


def load_session(request):
    raw = request.cookies.get("session_data")
    # SAFE: json.loads parses data only
    return json.loads(base64.b64decode(raw))


def hash_password(pw):
    salt = bcrypt.gensalt()
    return bcrypt.hashpw(pw.encode(), salt)


def run_command(arguments):
    return subprocess.run(["/usr/bin/env", *arguments], capture_output=True, text=True, check=False)


@app.route("/ping")
def ping():
    host = request.args.get("host")
    if host not in ALLOWED_HOSTS:
        abort(400)
    subprocess.run(["ping", "-c", "1", host], check=False, timeout=5)
    return "ok"


@app.route("/users/<int:user_id>")
def get_user(user_id):
    conn = sqlite3.connect(DB_PATH)
    row = conn.execute("SELECT id, name FROM users WHERE id = ?", (user_id,)).fetchone()
    if row is None:
        abort(404)
    return {"id": row[0], "name": row[1]}


@app.route("/register", methods=["POST"])
def register():
    password = request.form["password"]
    conn = sqlite3.connect(DB_PATH)
    conn.execute("INSERT INTO users (name, pw) VALUES (?, ?)", (request.form["name"], hash_password(password)))
    conn.commit()
    return "created", 201
