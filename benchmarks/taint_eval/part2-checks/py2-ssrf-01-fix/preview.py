from urllib.parse import urlparse

import requests
from flask import Flask, abort, jsonify, request

app = Flask(__name__)
ALLOWED_HOSTS = {"example.com", "www.example.com"}


@app.post("/preview")
def preview():
    url = request.json["url"]
    parsed = urlparse(url)
    if parsed.scheme != "https" or parsed.netloc not in ALLOWED_HOSTS:
        abort(400)
    resp = requests.get(url, timeout=5)
    return jsonify(status=resp.status_code, length=len(resp.content))
