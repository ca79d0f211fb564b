from flask import Flask, request
from werkzeug.security import generate_password_hash

app = Flask(__name__)
USERS = {}


@app.post("/register")
def register():
    username = request.form["username"]
    password = request.form["password"]
    USERS[username] = generate_password_hash(password)
    return {"created": username}
