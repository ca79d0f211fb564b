def search_users(cursor, name=None, city=None):
    """Build the WHERE clause from the optional filters."""
    clauses = []
    if name:
        clauses.append(f"name LIKE '%{name}%'")
    if city:
        clauses.append(f"city = '{city}'")
    where = " AND ".join(clauses) or "1=1"
    cursor.execute("SELECT id, name FROM users WHERE " + where)
    return cursor.fetchall()
