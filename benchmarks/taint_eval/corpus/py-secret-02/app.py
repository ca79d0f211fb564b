from flask import Flask

app = Flask(__name__)
app.config["SECRET_KEY"] = "f3b1c9e07a2d4c58b6e9a1d2c3f4e5a6"


@app.route("/")
def index():
    return "ok"
