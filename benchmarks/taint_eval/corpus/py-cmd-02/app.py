import os
from flask import Flask, request, jsonify

app = Flask(__name__)


@app.route("/api/ping")
def ping_host():
    host = request.args.get("host", "127.0.0.1")
    exit_code = os.system("ping -c 1 " + host)
    return jsonify({"reachable": exit_code == 0})
