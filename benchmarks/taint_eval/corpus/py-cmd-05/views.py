from flask import Flask, request
from tools.runner import ImageTool

app = Flask(__name__)
tool = ImageTool()


@app.route("/thumb", methods=["POST"])
def thumbnail():
    name = request.form["file"]
    tool.resize("/var/uploads/" + name, request.form.get("size", "128x128"))
    return "queued"
