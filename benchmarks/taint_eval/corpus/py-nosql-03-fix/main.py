from fastapi import FastAPI, Request, HTTPException
from motor.motor_asyncio import AsyncIOMotorClient

app = FastAPI()
db = AsyncIOMotorClient()["crm"]
SEARCHABLE = ("company", "city", "owner")


@app.post("/contacts/search")
async def search_contacts(request: Request):
    body = await request.json()
    filters = {}
    for field in SEARCHABLE:
        value = body.get(field)
        if value is None:
            continue
        if not isinstance(value, str):
            raise HTTPException(400, f"{field} must be a string")
        filters[field] = value
    cursor = db.contacts.find(filters)
    return [doc async for doc in cursor]
