import sqlite3
from flask import Flask
from params import int_param

app = Flask(__name__)


@app.route("/top")
def top():
    n = int_param("n", 10)
    conn = sqlite3.connect("scores.db")
    return {"top": conn.execute(f"SELECT name, score FROM scores ORDER BY score DESC LIMIT {n}").fetchall()}
