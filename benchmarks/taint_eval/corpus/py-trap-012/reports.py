ALLOWED_COLUMNS = ("region", "product", "channel")


def totals_by(cursor, column):
    if column not in ALLOWED_COLUMNS:
        raise ValueError("unsupported grouping column")
    cursor.execute(f"SELECT {column}, SUM(amount) FROM sales GROUP BY {column}")
    return dict(cursor.fetchall())
