import logging
from flask import Flask, request

app = Flask(__name__)
logger = logging.getLogger(__name__)


@app.post("/login")
def login():
    username = request.form["username"]
    logger.info("login attempt user=%r", username)
    return {"ok": True}
