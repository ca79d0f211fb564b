from fastapi import FastAPI, Request
from motor.motor_asyncio import AsyncIOMotorClient

app = FastAPI()
db = AsyncIOMotorClient()["crm"]


@app.post("/contacts/search")
async def search_contacts(request: Request):
    filters = await request.json()
    cursor = db.contacts.find(filters)
    return [doc async for doc in cursor]
