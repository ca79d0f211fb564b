import base64
import json
from flask import Flask, request, abort

app = Flask(__name__)


@app.route("/cart/restore", methods=["POST"])
def restore_cart():
    blob = request.cookies.get("cart", "")
    try:
        cart = json.loads(base64.b64decode(blob))
    except ValueError:
        abort(400)
    if not isinstance(cart, list):
        abort(400)
    return {"items": len(cart)}
