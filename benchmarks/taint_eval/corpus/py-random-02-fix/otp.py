import secrets
from flask import Flask, session

app = Flask(__name__)


@app.post("/otp/send")
def send_otp():
    code = "%06d" % secrets.randbelow(1_000_000)
    session["otp"] = code
    return {"sent": True}
