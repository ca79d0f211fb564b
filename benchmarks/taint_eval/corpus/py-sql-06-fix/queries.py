ALLOWED_TABLES = frozenset({"customers", "invoices", "payments"})


def fetch_by_ids(cursor, table, ids):
    """Return rows of `table` whose id is in ids."""
    if table not in ALLOWED_TABLES:
        raise ValueError(f"unknown table {table!r}")
    placeholders = ", ".join("?" for _ in ids)
    statement = "SELECT * FROM " + table + " WHERE id IN (" + placeholders + ")"
    cursor.execute(statement, tuple(ids))
    return cursor.fetchall()
