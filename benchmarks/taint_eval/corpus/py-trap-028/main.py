from fastapi import FastAPI
from fastapi.responses import FileResponse

app = FastAPI()


@app.get("/invoices/{invoice_id}/pdf")
def invoice_pdf(invoice_id: int):
    return FileResponse(f"/var/invoices/{invoice_id:08d}.pdf", media_type="application/pdf")
