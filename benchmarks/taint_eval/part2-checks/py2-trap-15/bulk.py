import os

from flask import Flask, request

app = Flask(__name__)
MEDIA = "/srv/media"


@app.post("/bulk-delete")
def bulk_delete():
    removed = []
    for name in request.json.get("files", []):
        if ".." in name or name.startswith("/") or "\\" in name:
            continue
        os.remove(os.path.join(MEDIA, name))
        removed.append(name)
    return {"removed": removed}
