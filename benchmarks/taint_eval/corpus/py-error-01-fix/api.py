import logging
from flask import Flask, request, jsonify

app = Flask(__name__)
log = logging.getLogger(__name__)


@app.post("/orders")
def create_order():
    try:
        order = {"qty": int(request.form["qty"]), "sku": request.form["sku"]}
        return jsonify(order), 201
    except Exception:
        log.exception("order creation failed")
        return jsonify({"error": "internal error"}), 500
