import os
from flask import Flask, request

app = Flask(__name__)


@app.route("/renice")
def renice():
    pid = int(request.args["pid"])
    os.system("renice +5 -p %d" % pid)
    return "ok"
