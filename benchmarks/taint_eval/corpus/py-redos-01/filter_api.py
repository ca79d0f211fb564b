import re
from flask import Flask, request

app = Flask(__name__)
LINES = open("access.log").read().splitlines()


@app.route("/grep")
def grep():
    pattern = request.args.get("pattern", "")
    matcher = re.compile(pattern)
    return {"matches": [line for line in LINES if matcher.search(line)][:100]}
