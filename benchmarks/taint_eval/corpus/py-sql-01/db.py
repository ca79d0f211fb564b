import sqlite3


def get_user_by_email(conn: sqlite3.Connection, email: str):
    cursor = conn.cursor()
    cursor.execute(f"SELECT id, name, email FROM users WHERE email = '{email}'")
    return cursor.fetchone()
