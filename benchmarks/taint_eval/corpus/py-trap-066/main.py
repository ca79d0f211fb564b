from fastapi import FastAPI, HTTPException

app = FastAPI()


@app.get("/convert")
def convert(amount: str):
    try:
        value = float(amount)
    except ValueError:
        raise HTTPException(status_code=400, detail="amount must be a number")
    return {"cents": round(value * 100)}
