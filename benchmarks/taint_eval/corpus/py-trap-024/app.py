from flask import Flask, request
from werkzeug.utils import secure_filename

app = Flask(__name__)


@app.post("/upload")
def upload():
    f = request.files["document"]
    filename = secure_filename(f.filename)
    f.save("/data/docs/" + filename)
    return {"stored": filename}
