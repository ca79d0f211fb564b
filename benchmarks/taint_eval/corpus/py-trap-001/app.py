import subprocess
from flask import Flask, request, abort

app = Flask(__name__)
SERVICES = {"nginx", "redis", "postgresql"}


@app.post("/services/restart")
def restart_service():
    name = request.form.get("service", "")
    if name not in SERVICES:
        abort(400)
    subprocess.run("systemctl restart " + name, shell=True, check=True)
    return {"restarted": name}
