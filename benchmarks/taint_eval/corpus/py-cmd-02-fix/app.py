import ipaddress
import subprocess
from flask import Flask, request, jsonify, abort

app = Flask(__name__)


@app.route("/api/ping")
def ping_host():
    host = request.args.get("host", "127.0.0.1")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        abort(400)
    result = subprocess.run(["ping", "-c", "1", str(address)], capture_output=True)
    return jsonify({"reachable": result.returncode == 0})
