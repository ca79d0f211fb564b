from flask import Flask, request, redirect

app = Flask(__name__)


@app.route("/back")
def back():
    target = request.args.get("to", "/")
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return redirect("/")
    return redirect(target)
