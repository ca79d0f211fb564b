import subprocess
from flask import Flask, request

app = Flask(__name__)


def build_job(payload):
    return {"repo": payload["repo"], "branch": payload.get("branch", "main")}


@app.post("/deploy")
def deploy():
    job = build_job(request.get_json())
    script = "git clone --branch %s %s /srv/build" % (job["branch"], job["repo"])
    proc = subprocess.Popen(script, shell=True)
    proc.wait()
    return {"status": proc.returncode}
