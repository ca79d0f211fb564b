from flask import Flask, request

app = Flask(__name__)
ENVIRONMENT = "production"


@app.post("/debug/eval")
def debug_eval():
    if ENVIRONMENT == "development":
        return {"result": repr(eval(request.form["expr"]))}
    return {"error": "disabled"}, 404
