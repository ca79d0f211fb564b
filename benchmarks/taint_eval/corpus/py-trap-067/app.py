import logging
from flask import Flask, request

app = Flask(__name__)
log = logging.getLogger("access")


@app.route("/search")
def search():
    log.info("search for %r", request.args.get("q", ""))
    return {"results": []}
