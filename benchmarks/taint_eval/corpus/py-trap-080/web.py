from flask import Flask, request
from ops.runner import GitRunner

app = Flask(__name__)
runner = GitRunner()


@app.route("/git")
def git():
    return {"output": runner.run(request.args.get("action", "status"))}
