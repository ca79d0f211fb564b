import configparser
import sqlite3
import sys


def main():
    cfg = configparser.ConfigParser()
    cfg.read_string("[report]\ntable = sales\n")
    cfg.set("report", "title", sys.argv[1])
    table = cfg.get("report", "table")
    conn = sqlite3.connect("warehouse.db")
    total = conn.execute(f"SELECT SUM(amount) FROM {table}").fetchone()[0]
    print(cfg.get("report", "title"), total)


if __name__ == "__main__":
    main()
