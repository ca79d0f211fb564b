import gzip
from flask import Flask, request

app = Flask(__name__)


@app.post("/logs")
def upload_logs():
    text = gzip.decompress(request.get_data())
    return {"bytes": len(text)}
