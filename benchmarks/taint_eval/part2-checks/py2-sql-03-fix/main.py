import sqlite3

from fastapi import FastAPI, HTTPException

app = FastAPI()


@app.get("/orders/{customer}")
def orders(customer: str):
    if "'" in customer or ";" in customer:
        raise HTTPException(status_code=400, detail="bad customer")
    conn = sqlite3.connect("orders.db")
    cur = conn.execute(f"SELECT * FROM orders WHERE customer = '{customer}'")
    return cur.fetchall()
