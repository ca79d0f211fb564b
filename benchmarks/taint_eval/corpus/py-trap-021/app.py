import os
from flask import Flask, request, abort, Response

app = Flask(__name__)
ROOT = os.path.realpath("/srv/static")


@app.route("/raw")
def raw():
    target = os.path.realpath(os.path.join(ROOT, request.args.get("path", "")))
    if not target.startswith(ROOT + os.sep):
        abort(403)
    with open(target, "rb") as fh:
        return Response(fh.read(), mimetype="application/octet-stream")
