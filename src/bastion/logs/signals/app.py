"""Application signals: SQL errors by driver, stack traces, unauthorized/forbidden events, error levels.

SQL error phrases: the drivers' own messages (psycopg/PostgreSQL, MySQL and
MariaDB, SQLite, SQLAlchemy, SQL Server, Oracle, MongoDB), plus CRS
``sql-errors.data`` (vendored, Apache-2.0). A traceback's innermost frame in the
application (not in site-packages or node_modules) is kept: it is where the code
failed, and what ``--source`` links to.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import re2

from bastion.logs.data import crs_words
from bastion.logs.matcher import words_pattern

DRIVER_ERRORS = {
    "postgresql": (r"psycopg2?\.(?:errors|errorcodes|ProgrammingError|DataError|InternalError)", r"syntax error at or near",
                   r"unterminated quoted string at or near", r"invalid input syntax for (?:type|integer)",
                   r"org\.postgresql\.util\.PSQLException", r"\bPG::\w+Error", r"error: relation \"[^\"]+\" does not exist",
                   r"asyncpg\.exceptions\."),
    "mysql": (r"You have an error in your SQL syntax", r"MySQLdb\._exceptions", r"pymysql\.err\.", r"\bER_PARSE_ERROR\b",
              r"\bER_BAD_FIELD_ERROR\b", r"mysql\.connector\.errors", r"com\.mysql\.jdbc", r"Unknown column '[^']+' in",
              r"check the manual that corresponds to your (?:MySQL|MariaDB) server version"),
    "sqlite": (r"sqlite3\.(?:OperationalError|ProgrammingError|IntegrityError)", r"\bSQLITE_ERROR\b", r"near \"[^\"]*\": syntax error",
               r"unrecognized token: ", r"SqliteError"),
    "sqlalchemy": (r"sqlalchemy\.exc\.\w+Error", r"\(Background on this error at: https?://sqlalche\.me"),
    "mssql": (r"Unclosed quotation mark after the character string", r"Incorrect syntax near", r"pyodbc\.(?:ProgrammingError|Error)",
              r"\[ODBC SQL Server Driver\]", r"\[Microsoft\]\[ODBC", r"System\.Data\.SqlClient\.SqlException", r"\bRequestError: .*\bsyntax\b",
              r"tedious.*(?:RequestError|syntax)"),
    "oracle": (r"\bORA-\d{5}\b", r"cx_Oracle\.\w+Error", r"oracledb\.exceptions", r"quoted string not properly terminated"),
    "mongodb": (r"MongoServerError", r"pymongo\.errors\.\w+", r"\bMongoError\b", r"\$where.*(?:SyntaxError|ReferenceError)",
                r"unknown operator: \$\w+", r"BSON field '[^']+' is"),
}
DENIED = (r"(?i)\b(?:unauthori[sz]ed|forbidden|access denied|permission denied|not authori[sz]ed|invalid (?:token|api key|credentials|signature|session)|"
          r"jwt (?:expired|malformed)|token (?:expired|invalid)|csrf (?:token )?(?:missing|invalid|failed)|authentication failed|"
          r"login failed|failed login|bad credentials|incorrect password|invalid password|wrong password)\b")
AUTH_FAILED = (r"(?i)\b(?:login failed|failed login|authentication failed|auth(?:entication)? failure|invalid (?:credentials|password)|"
               r"incorrect password|wrong password|bad credentials|password mismatch|was not found in|unknown user|user not found)\b")
_PY_FRAME = re2.compile(r'File "([^"]+)", line (\d+), in ([^\s]+)')
_NODE_FRAME = re2.compile(r"\n\s+at (?:(\S+) \()?(?:file://)?([^()\s]+?):(\d+):\d+\)?")
_LIBRARY = ("site-packages", "dist-packages", "node_modules", "/lib/python", "<frozen", "node:internal", "internal/")


@dataclass(frozen=True)
class Frame:
    """Where a traceback says the code failed."""

    file: str
    line: int
    function: str


@lru_cache(maxsize=1)
def _driver_patterns():
    names, patterns = [], []
    for driver, items in DRIVER_ERRORS.items():
        names.append(driver)
        patterns.append("(?:" + "|".join(items) + ")")
    crs = [w for w in crs_words("sql-errors") if len(w) >= 8]
    names.append("sql")
    patterns.append(words_pattern(crs)[4:])
    return names, re2.compile("(?i)" + "|".join(f"({p})" for p in patterns))


@lru_cache(maxsize=1)
def _denied():
    return re2.compile(DENIED), re2.compile(AUTH_FAILED)


def sql_error(text: str) -> str | None:
    """The driver whose error message occurs in ``text`` ("sql" for CRS's generic phrases), or None."""
    names, pattern = _driver_patterns()
    match = pattern.search(text)
    if match is None:
        return None
    for index, name in enumerate(names, start=1):
        if match.group(index) is not None:
            return name
    return "sql"


def is_traceback(text: str) -> bool:
    return "Traceback (most recent call last)" in text or ("\n    at " in text and "Error" in text)


def innermost_frame(text: str) -> Frame | None:
    """The last Python frame (or first Node frame) that is application code, else the last/first frame at all."""
    frames = [Frame(m.group(1), int(m.group(2)), m.group(3)) for m in _PY_FRAME.finditer(text)]
    if frames:
        own = [f for f in frames if not any(lib in f.file for lib in _LIBRARY)]
        return (own or frames)[-1]
    node = [Frame(m.group(2), int(m.group(3)), m.group(1) or "<anonymous>") for m in _NODE_FRAME.finditer(text)]
    own = [f for f in node if not any(lib in f.file for lib in _LIBRARY)]
    return (own or node)[0] if node else None


def denied(text: str) -> bool:
    return _denied()[0].search(text) is not None


def auth_failed(text: str) -> bool:
    return _denied()[1].search(text) is not None
