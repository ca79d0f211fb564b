import os
import uuid
from fastapi import FastAPI, UploadFile

app = FastAPI()
MEDIA_ROOT = "/data/media"


@app.post("/upload")
async def upload(file: UploadFile):
    extension = os.path.splitext(os.path.basename(file.filename or ""))[1].lower()
    if extension not in {".png", ".jpg", ".pdf"}:
        extension = ".bin"
    destination = os.path.join(MEDIA_ROOT, uuid.uuid4().hex + extension)
    with open(destination, "wb") as out:
        out.write(await file.read())
    return {"stored": os.path.basename(destination)}
