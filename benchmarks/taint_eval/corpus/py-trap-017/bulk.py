def mark_paid(cursor, invoice_ids):
    marks = ",".join(["%s"] * len(invoice_ids))
    cursor.execute(f"UPDATE invoices SET paid = TRUE WHERE id IN ({marks})", list(invoice_ids))
    return cursor.rowcount
