import os
from flask import Flask, request

app = Flask(__name__)


@app.post("/attachments")
def save_attachment():
    uploaded = request.files["file"]
    name = os.path.basename(uploaded.filename)
    uploaded.save(os.path.join("/srv/attachments", name or "unnamed"))
    return {"saved": name}
