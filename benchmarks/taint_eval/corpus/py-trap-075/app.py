from flask import Flask, request

app = Flask(__name__)


@app.route("/feature")
def feature():
    if request.args.get("variant") == "beta":
        return {"layout": "new"}
    return {"layout": "classic"}
