import re
from flask import Flask, request, Response

app = Flask(__name__)
SAFE_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")


@app.route("/export.csv")
def export_csv():
    name = request.args.get("name", "export")
    if not SAFE_NAME.fullmatch(name):
        name = "export"
    resp = Response("id,total\n1,10\n", mimetype="text/csv")
    resp.headers["Content-Disposition"] = "attachment; filename=" + name + ".csv"
    return resp
