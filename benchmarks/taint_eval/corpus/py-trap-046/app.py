import requests
from flask import Flask, request

app = Flask(__name__)
API = "https://api.example.com"


@app.route("/weather")
def weather():
    city_id = int(request.args.get("city", "2643743"))
    return requests.get(f"{API}/weather/{city_id}", timeout=5).json()
