from fastapi import FastAPI
from fastapi.responses import PlainTextResponse

app = FastAPI()


@app.get("/robots.txt", response_class=PlainTextResponse)
def robots(agent: str = "*"):
    return PlainTextResponse(f"User-agent: {agent}\nDisallow: /admin\n")
