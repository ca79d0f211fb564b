from flask import Flask, request, abort

app = Flask(__name__)
MAX_BODY = 5 * 1024 * 1024


@app.post("/ingest")
def ingest():
    if request.content_length is None or request.content_length > MAX_BODY:
        abort(413)
    payload = request.stream.read(MAX_BODY)
    lines = payload.decode("utf-8", "replace").splitlines()
    return {"lines": len(lines)}
