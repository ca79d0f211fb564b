import html

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

app = FastAPI()


@app.get("/search", response_class=HTMLResponse)
def search(q: str = ""):
    rows = "".join(f"<li>{html.escape(word)}</li>" for word in q.split())
    return HTMLResponse(f"<p>Results for {html.escape(q)}</p><ul>{rows}</ul>")
