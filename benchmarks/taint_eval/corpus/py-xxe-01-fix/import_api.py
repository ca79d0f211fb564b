from flask import Flask, request
from defusedxml import ElementTree as SafeET

app = Flask(__name__)


@app.post("/import")
def import_feed():
    doc = SafeET.fromstring(request.data)
    return {"items": len(doc.findall("item"))}
