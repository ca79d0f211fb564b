def search_users(cursor, name=None, city=None):
    """Build the WHERE clause from the optional filters."""
    clauses, params = [], []
    if name:
        clauses.append("name LIKE ?")
        params.append(f"%{name}%")
    if city:
        clauses.append("city = ?")
        params.append(city)
    where = " AND ".join(clauses) or "1=1"
    cursor.execute("SELECT id, name FROM users WHERE " + where, params)
    return cursor.fetchall()
