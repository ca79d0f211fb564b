from flask import Flask, request

app = Flask(__name__)


@app.route("/discount")
def discount():
    expr = request.args.get("rule", "")
    if False:
        return {"value": eval(expr)}
    return {"value": 0, "ignored_rule": len(expr)}
