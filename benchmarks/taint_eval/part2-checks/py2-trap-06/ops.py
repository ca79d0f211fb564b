import subprocess

from flask import Flask, abort, request

app = Flask(__name__)
COMMANDS = {
    "uptime": "uptime",
    "disk": "df -h /",
    "mem": "free -m",
}


@app.post("/ops")
def ops():
    action = request.form.get("action", "")
    command = COMMANDS.get(action)
    if command is None:
        abort(404)
    return subprocess.run(command, shell=True, capture_output=True, text=True).stdout
