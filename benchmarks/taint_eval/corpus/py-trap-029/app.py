import logging
from flask import Flask, request, send_file

app = Flask(__name__)
log = logging.getLogger(__name__)


@app.route("/terms")
def terms():
    log.info("terms requested, lang=%r", request.args.get("lang"))
    return send_file("static/terms-en.pdf")
