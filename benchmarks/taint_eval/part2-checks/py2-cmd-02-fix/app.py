import os
import re

from flask import Flask, abort, request

app = Flask(__name__)


@app.route("/ping")
def ping():
    host = request.args.get("host", "")
    if re.search(r"[^A-Za-z0-9.-]", host):
        abort(400)
    status = os.system(f"ping -c 1 {host}")
    return {"reachable": status == 0}
