from fastapi import FastAPI
from fastapi.responses import RedirectResponse

app = FastAPI()


@app.get("/go")
def go(to: str):
    return RedirectResponse(url=to, status_code=302)
