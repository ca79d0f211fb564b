from urllib.parse import urlsplit

import httpx
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

app = FastAPI()
IMAGE_HOSTS = frozenset({"images.unsplash.com", "avatars.githubusercontent.com"})


class FetchRequest(BaseModel):
    image_url: str


@app.post("/avatar/import")
async def import_avatar(body: FetchRequest):
    parts = urlsplit(body.image_url)
    if parts.scheme != "https" or parts.hostname not in IMAGE_HOSTS:
        raise HTTPException(422, "image host not allowed")
    async with httpx.AsyncClient(follow_redirects=False) as client:
        resp = await client.get(body.image_url)
    return {"bytes": len(resp.content)}
