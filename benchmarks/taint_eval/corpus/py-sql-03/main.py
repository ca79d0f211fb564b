from fastapi import FastAPI
from sqlalchemy import create_engine, text

app = FastAPI()
engine = create_engine("postgresql://localhost/app")


@app.get("/orders")
def list_orders(sort: str = "created_at", limit: int = 50):
    query = "SELECT * FROM orders ORDER BY " + sort + " LIMIT :limit"
    with engine.connect() as conn:
        rows = conn.execute(text(query), {"limit": limit}).mappings().all()
    return [dict(r) for r in rows]
