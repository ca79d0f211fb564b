import re
from flask import Flask, request, abort
from tools.runner import ImageTool

app = Flask(__name__)
tool = ImageTool()
SIZE = re.compile(r"\d{1,4}x\d{1,4}")


@app.route("/thumb", methods=["POST"])
def thumbnail():
    name = request.form["file"]
    size = request.form.get("size", "128x128")
    if not SIZE.fullmatch(size) or "/" in name or name.startswith("."):
        abort(400)
    tool.resize("/var/uploads/" + name, size)
    return "queued"
