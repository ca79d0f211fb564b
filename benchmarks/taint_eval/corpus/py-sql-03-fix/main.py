from fastapi import FastAPI, HTTPException
from sqlalchemy import create_engine, text

app = FastAPI()
engine = create_engine("postgresql://localhost/app")
SORTABLE = {"created_at", "total", "status"}


@app.get("/orders")
def list_orders(sort: str = "created_at", limit: int = 50):
    if sort not in SORTABLE:
        raise HTTPException(status_code=400, detail="bad sort column")
    query = "SELECT * FROM orders ORDER BY " + sort + " LIMIT :limit"
    with engine.connect() as conn:
        rows = conn.execute(text(query), {"limit": limit}).mappings().all()
    return [dict(r) for r in rows]
