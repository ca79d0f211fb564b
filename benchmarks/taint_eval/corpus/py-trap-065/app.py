import logging
from flask import Flask

app = Flask(__name__)
logger = logging.getLogger(__name__)


@app.errorhandler(Exception)
def handle_error(exc):
    logger.error("unhandled error: %s", exc, exc_info=True)
    return {"error": "Something went wrong"}, 500
