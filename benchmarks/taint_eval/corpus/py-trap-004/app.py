import subprocess
from flask import Flask, request

app = Flask(__name__)


@app.route("/uptime")
def uptime():
    cmd = request.args.get("cmd", "uptime")
    # Only uptime is supported for now; the parameter is kept for the old client.
    cmd = "uptime"
    out = subprocess.check_output(cmd, shell=True, text=True)
    return {"uptime": out.strip()}
