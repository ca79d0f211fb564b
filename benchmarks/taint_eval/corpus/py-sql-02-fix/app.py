import psycopg2
from flask import Flask, request, jsonify

app = Flask(__name__)
conn = psycopg2.connect("dbname=shop")


@app.route("/products")
def search_products():
    term = request.args.get("q", "")
    with conn.cursor() as cur:
        cur.execute("SELECT id, title, price FROM products WHERE title ILIKE %s", (f"%{term}%",))
        rows = cur.fetchall()
    return jsonify([{"id": r[0], "title": r[1], "price": float(r[2])} for r in rows])
