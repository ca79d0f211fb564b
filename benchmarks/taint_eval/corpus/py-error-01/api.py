import traceback
from flask import Flask, request, jsonify

app = Flask(__name__)


@app.post("/orders")
def create_order():
    try:
        order = {"qty": int(request.form["qty"]), "sku": request.form["sku"]}
        return jsonify(order), 201
    except Exception:
        return jsonify({"error": traceback.format_exc()}), 500
