import logging
import sqlite3

from fastapi import FastAPI, HTTPException

app = FastAPI()
logger = logging.getLogger("stats")


@app.get("/stats/{name}")
def stats(name: str):
    try:
        with sqlite3.connect("stats.db") as conn:
            return {"value": conn.execute("SELECT value FROM stats WHERE name = ?", (name,)).fetchone()}
    except sqlite3.Error:
        logger.exception("stats lookup failed for %r", name)
        raise HTTPException(status_code=500, detail="database unavailable")
