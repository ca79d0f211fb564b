import sqlite3

TABLES = ["users", "sessions", "audit_log"]


def vacuum_all(path):
    conn = sqlite3.connect(path)
    for table in TABLES:
        conn.execute("DELETE FROM " + table + " WHERE created_at < date('now', '-90 day')")
    conn.execute("VACUUM")
    conn.close()
