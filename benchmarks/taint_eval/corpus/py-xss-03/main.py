from fastapi import FastAPI
from fastapi.responses import HTMLResponse

app = FastAPI()


@app.get("/search", response_class=HTMLResponse)
def search(q: str = ""):
    rows = "".join(f"<li>{word}</li>" for word in q.split())
    return HTMLResponse(f"<p>Results for {q}</p><ul>{rows}</ul>")
