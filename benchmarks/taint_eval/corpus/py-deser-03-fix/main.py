import joblib
from fastapi import FastAPI, HTTPException

app = FastAPI()
MODELS = {"churn-v3": "/opt/models/churn-v3.joblib", "ltv-v1": "/opt/models/ltv-v1.joblib"}


@app.post("/models/score")
async def score(model_name: str, value: float):
    path = MODELS.get(model_name)
    if path is None:
        raise HTTPException(404, "unknown model")
    model = joblib.load(path)
    return {"prediction": float(model.predict([[value]])[0])}
