from flask import Flask, request

app = Flask(__name__)


@app.post("/ingest")
def ingest():
    payload = request.stream.read()
    lines = payload.decode("utf-8", "replace").splitlines()
    return {"lines": len(lines)}
