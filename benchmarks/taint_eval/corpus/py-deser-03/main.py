import joblib
import io
from fastapi import FastAPI, UploadFile

app = FastAPI()


@app.post("/models/score")
async def score(model_file: UploadFile, value: float):
    model = joblib.load(io.BytesIO(await model_file.read()))
    return {"prediction": float(model.predict([[value]])[0])}
