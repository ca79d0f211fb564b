import re

IDENT = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def count_rows(conn, table: str) -> int:
    if not IDENT.fullmatch(table):
        raise ValueError("bad table name")
    return conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
