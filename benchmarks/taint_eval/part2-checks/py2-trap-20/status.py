import subprocess

from flask import Flask, request

app = Flask(__name__)
MAX_WORKERS = 4


@app.get("/status")
def status():
    unit = request.args.get("unit", "web")
    target = unit if MAX_WORKERS > 16 else "web"
    out = subprocess.run(f"systemctl is-active {target}", shell=True, capture_output=True, text=True)
    return {"state": out.stdout.strip()}
