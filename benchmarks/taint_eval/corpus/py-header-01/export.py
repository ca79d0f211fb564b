from flask import Flask, request, Response

app = Flask(__name__)


@app.route("/export.csv")
def export_csv():
    name = request.args.get("name", "export")
    resp = Response("id,total\n1,10\n", mimetype="text/csv")
    resp.headers["Content-Disposition"] = "attachment; filename=" + name + ".csv"
    return resp
