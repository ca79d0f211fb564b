from fastapi import FastAPI, UploadFile

app = FastAPI()
MEDIA_ROOT = "/data/media"


@app.post("/upload")
async def upload(file: UploadFile):
    destination = f"{MEDIA_ROOT}/{file.filename}"
    with open(destination, "wb") as out:
        out.write(await file.read())
    return {"stored": destination}
