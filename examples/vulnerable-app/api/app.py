"""User service for the profile app (generated with an AI assistant)."""
import base64
import hashlib
import os
import pickle
import sqlite3
import subprocess

from flask import Flask, request

app = Flask(__name__)
DB_PATH = "users.db"


def load_session(request):
    raw = request.cookies.get("session_data")
    # DANGEROUS: pickle.loads can execute arbitrary code
    return pickle.loads(base64.b64decode(raw))


def hash_password(pw):
    return hashlib.md5(pw.encode()).hexdigest()


def run_command_ai(command):
    return subprocess.run(command, shell=True, capture_output=True, text=True)


@app.route("/ping")
def ping():
    host = request.args.get("host")
    os.system(f"ping -c 1 {host}")
    return "ok"


@app.route("/users/<user_id>")
def get_user(user_id):
    conn = sqlite3.connect(DB_PATH)
    row = conn.execute(f"SELECT id, name FROM users WHERE id = {user_id}").fetchone()
    return {"id": row[0], "name": row[1]}


@app.route("/register", methods=["POST"])
def register():
    password = request.form["password"]
    conn = sqlite3.connect(DB_PATH)
    conn.execute("INSERT INTO users (name, pw) VALUES (?, ?)", (request.form["name"], hash_password(password)))
    conn.commit()
    return "created", 201
