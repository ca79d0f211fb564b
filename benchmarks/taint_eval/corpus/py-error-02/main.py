from fastapi import FastAPI, HTTPException
import sqlite3

app = FastAPI()


@app.get("/stats/{name}")
def stats(name: str):
    try:
        with sqlite3.connect("stats.db") as conn:
            return {"value": conn.execute("SELECT value FROM stats WHERE name = ?", (name,)).fetchone()}
    except sqlite3.Error as exc:
        raise HTTPException(status_code=500, detail=str(exc))
