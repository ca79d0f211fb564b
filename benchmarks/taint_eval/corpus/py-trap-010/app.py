import subprocess
from flask import Flask, request

app = Flask(__name__)


@app.route("/report")
def report():
    args = ["df -h", request.args.get("note", "")]
    output = subprocess.check_output(args[0], shell=True, text=True)
    return {"note": args[1], "disk": output}
