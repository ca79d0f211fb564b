import requests
from flask import Flask, request

app = Flask(__name__)


@app.route("/geocode")
def geocode():
    resp = requests.get(
        "https://nominatim.openstreetmap.org/search",
        params={"q": request.args.get("q", ""), "format": "json"},
        timeout=5,
    )
    return {"results": resp.json()}
