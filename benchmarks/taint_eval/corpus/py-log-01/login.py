import logging
from flask import Flask, request

app = Flask(__name__)
logger = logging.getLogger(__name__)


@app.post("/login")
def login():
    username = request.form["username"]
    password = request.form["password"]
    logger.info("login attempt user=%s password=%s", username, password)
    return {"ok": True}
