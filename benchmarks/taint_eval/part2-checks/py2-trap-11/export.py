import os

from flask import Flask, request

app = Flask(__name__)
EXPORTS = "/srv/exports"


@app.get("/export")
def export():
    label, filename = request.args.get("label", ""), "latest.csv"
    with open(os.path.join(EXPORTS, filename), encoding="utf-8") as fh:
        return {"label": label, "rows": fh.read().count("\n")}
