import requests
from flask import Flask, abort, jsonify, request

app = Flask(__name__)


@app.post("/preview")
def preview():
    url = request.json["url"]
    if "example.com" not in url:
        abort(400)
    resp = requests.get(url, timeout=5)
    return jsonify(status=resp.status_code, length=len(resp.content))
