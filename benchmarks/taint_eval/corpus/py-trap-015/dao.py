import sqlite3

USE_RAW_SQL = 0


def find_customer(conn: sqlite3.Connection, name):
    if USE_RAW_SQL > 1:
        return conn.execute("SELECT * FROM customers WHERE name = '%s'" % name).fetchall()
    return conn.execute("SELECT * FROM customers WHERE name = ?", (name,)).fetchall()
