import sqlite3
from fastapi import FastAPI

app = FastAPI()


@app.get("/invoices/{invoice_id}")
def invoice(invoice_id: int):
    conn = sqlite3.connect("billing.db")
    row = conn.execute("SELECT * FROM invoices WHERE id = %d" % invoice_id).fetchone()
    return {"invoice": row}
