import sqlite3
from flask import Flask, request

app = Flask(__name__)
DEFAULTS = {"table": "events", "limit": 50}


@app.route("/events")
def events():
    opts = dict(DEFAULTS)
    opts["search"] = request.args.get("search", "")
    conn = sqlite3.connect("app.db")
    rows = conn.execute("SELECT * FROM " + opts["table"] + " WHERE name LIKE ?", (f"%{opts['search']}%",)).fetchall()
    return {"rows": rows}
