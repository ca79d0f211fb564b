import sqlite3

DB = "inventory.db"


def delete_item(sku):
    conn = sqlite3.connect(DB)
    conn.execute("DELETE FROM items WHERE sku = '" + sku + "'")
    conn.commit()
    conn.close()
