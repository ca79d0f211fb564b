import random
from flask import Flask, session

app = Flask(__name__)


@app.post("/otp/send")
def send_otp():
    code = "%06d" % random.randint(0, 999999)
    session["otp"] = code
    return {"sent": True}
