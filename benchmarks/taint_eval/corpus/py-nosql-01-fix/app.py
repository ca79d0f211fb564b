from flask import Flask, request, jsonify, abort
from pymongo import MongoClient
from werkzeug.security import check_password_hash

app = Flask(__name__)
users = MongoClient()["app"]["users"]


@app.post("/login")
def login():
    body = request.get_json()
    username, password = body.get("username"), body.get("password")
    if not isinstance(username, str) or not isinstance(password, str):
        abort(400)
    user = users.find_one({"username": username})
    ok = user is not None and check_password_hash(user["password_hash"], password)
    return jsonify({"ok": ok})
