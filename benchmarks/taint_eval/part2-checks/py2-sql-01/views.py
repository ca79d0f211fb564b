import sqlite3

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.get("/products")
def products():
    filters = {"category": "all"}
    filters.update(request.args.to_dict())
    conn = sqlite3.connect("shop.db")
    sql = "SELECT id, name FROM products WHERE category = '%s'" % filters.get("category")
    rows = conn.execute(sql).fetchall()
    return jsonify(rows)
