from flask import Flask, request, abort

app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = 2 * 1024 * 1024


@app.post("/avatar")
def avatar():
    data = request.files["image"].read(2 * 1024 * 1024 + 1)
    if len(data) > 2 * 1024 * 1024:
        abort(413)
    return {"bytes": len(data)}
