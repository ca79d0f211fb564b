import httpx
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class FetchRequest(BaseModel):
    image_url: str


@app.post("/avatar/import")
async def import_avatar(body: FetchRequest):
    async with httpx.AsyncClient() as client:
        resp = await client.get(body.image_url)
    return {"bytes": len(resp.content)}
