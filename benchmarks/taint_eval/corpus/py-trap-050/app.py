from flask import Flask, request, redirect, url_for

app = Flask(__name__)


@app.route("/profile")
def profile():
    return "profile"


@app.route("/settings/save", methods=["POST"])
def save_settings():
    tab = request.form.get("tab", "general")
    return redirect(url_for("profile", tab=tab))
