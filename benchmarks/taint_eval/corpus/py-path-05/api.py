from flask import Flask, request
from cache import FileCache

app = Flask(__name__)
cache = FileCache("/tmp/thumbs")


@app.delete("/cache")
def evict_entry():
    cache.evict(request.args["key"])
    return {"ok": True}
