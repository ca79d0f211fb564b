import io
import gzip
from flask import Flask, request, abort

app = Flask(__name__)
LIMIT = 20 * 1024 * 1024


@app.post("/logs")
def upload_logs():
    with gzip.GzipFile(fileobj=io.BytesIO(request.get_data())) as stream:
        text = stream.read(LIMIT + 1)
    if len(text) > LIMIT:
        abort(413)
    return {"bytes": len(text)}
