import subprocess
from flask import Flask, request

app = Flask(__name__)


@app.post("/jobs")
def create_job():
    job = {"label": request.json.get("label", ""), "command": "make build"}
    subprocess.run(job["command"], shell=True, check=True)
    return {"label": job["label"], "status": "done"}
