import os

from flask import Flask, abort, request, send_file

app = Flask(__name__)
UPLOADS = "/srv/app/uploads"


@app.route("/files/<path:name>")
def download(name):
    full = os.path.realpath(os.path.join(UPLOADS, name))
    if os.path.commonpath([full, UPLOADS]) != UPLOADS:
        abort(403)
    return send_file(full)
