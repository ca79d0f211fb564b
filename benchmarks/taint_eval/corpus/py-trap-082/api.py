from flask import Flask, request
from storage.local import LocalStorage

app = Flask(__name__)
store = LocalStorage("/srv/blobs")


@app.route("/blob")
def blob():
    return store.read(request.args["key"])
