from fastapi import FastAPI, HTTPException
from fastapi.responses import RedirectResponse

app = FastAPI()
SHORT_LINKS = {"docs": "https://docs.example.com", "status": "https://status.example.com"}


@app.get("/go")
def go(to: str):
    target = SHORT_LINKS.get(to)
    if target is None:
        raise HTTPException(404)
    return RedirectResponse(url=target, status_code=302)
