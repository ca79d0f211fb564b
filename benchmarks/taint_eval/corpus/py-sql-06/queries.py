def fetch_by_ids(cursor, table, ids):
    """Return rows of `table` whose id is in ids."""
    id_list = ", ".join(str(i) for i in ids)
    statement = "SELECT * FROM " + table + " WHERE id IN (" + id_list + ")"
    cursor.execute(statement)
    return cursor.fetchall()
