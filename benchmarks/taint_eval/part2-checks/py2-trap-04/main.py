import os

from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse

app = FastAPI()
BASE_DIR = os.path.realpath("static/reports")


@app.get("/reports/{name}")
def report(name: str):
    path = os.path.realpath(os.path.join(BASE_DIR, name))
    if os.path.commonpath([BASE_DIR, path]) != BASE_DIR:
        raise HTTPException(status_code=404)
    return FileResponse(path)
