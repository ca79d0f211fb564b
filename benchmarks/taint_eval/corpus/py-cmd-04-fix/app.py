import subprocess
from flask import Flask, request

app = Flask(__name__)


def build_job(payload):
    return {"repo": payload["repo"], "branch": payload.get("branch", "main")}


@app.post("/deploy")
def deploy():
    job = build_job(request.get_json())
    argv = ["git", "clone", "--branch", job["branch"], "--", job["repo"], "/srv/build"]
    proc = subprocess.Popen(argv)
    proc.wait()
    return {"status": proc.returncode}
