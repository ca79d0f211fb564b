import hashlib
from flask import Flask, request

app = Flask(__name__)
USERS = {}


@app.post("/register")
def register():
    username = request.form["username"]
    password = request.form["password"]
    USERS[username] = hashlib.sha256(password.encode()).hexdigest()
    return {"created": username}
