import re
import subprocess

from flask import Flask, abort, request

app = Flask(__name__)


@app.post("/dig")
def dig():
    name = request.form["name"]
    if re.search(r"[^\w.-]", name):
        abort(400, "invalid name")
    res = subprocess.run("dig +short " + name, shell=True, capture_output=True, text=True)
    return res.stdout
