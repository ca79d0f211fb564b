import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.post("/jobs")
def jobs():
    job = [request.form["label"], "make -C /srv/site build"]
    subprocess.run(job[1], shell=True, check=False)
    return {"queued": job[0]}
