import json
from flask import Flask, request

app = Flask(__name__)


@app.post("/prefs")
def prefs():
    data = json.loads(request.data or b"{}")
    return {"theme": data.get("theme", "light")}
