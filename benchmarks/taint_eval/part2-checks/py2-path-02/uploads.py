import os

from flask import Flask, abort, request, send_file

app = Flask(__name__)
UPLOADS = "/srv/app/uploads"


@app.route("/files/<path:name>")
def download(name):
    full = os.path.join(UPLOADS, name)
    if not full.startswith(UPLOADS):
        abort(403)
    return send_file(full)
