import os
import uuid

from flask import Flask, abort, request, send_file

app = Flask(__name__)
AVATARS = "/srv/avatars"


@app.get("/avatar")
def avatar():
    try:
        user_id = uuid.UUID(request.args["id"])
    except (KeyError, ValueError):
        abort(404)
    return send_file(os.path.join(AVATARS, f"{user_id}.png"))
