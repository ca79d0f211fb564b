"""Raw-text signatures for tools that cannot decode requests as Bastion does (Loki, fail2ban).

They match common encodings (``%20``/``+`` for spaces, ``%27`` for quotes,
``%2e%2e`` for dots) rather than the decoded text, so they catch less than
``bastion logs`` itself; the docs say so. Every pattern is valid both in RE2
(Loki's Go regexp) and Python's ``re`` (fail2ban), and written without nested
quantifiers.
"""

from __future__ import annotations

SPACE = r"(?:\+|%20|\s|/\*\*/)+"
ATTACKS = (
    rf"union{SPACE}(?:all{SPACE})?select",
    rf"(?:'|%27)(?:{SPACE})?(?:or|and)(?:{SPACE})",
    r"(?:<|%3c)script",
    r"(?:<|%3c)svg(?:/|%2f)onload",
    r"on(?:error|load)(?:=|%3d)",
    r"\.\./|\.\.%2f|%2e%2e",
    r"/etc/passwd",
    r"\$\{jndi:|%24%7bjndi",
    r"(?:;|%3b|\||%7c)(?:cat|id|whoami|uname|wget|curl)(?:\+|%20|\s|$)",
    r"\{\{7\*7\}\}|%7b%7b7\*7%7d%7d",
    r"169\.254\.169\.254",
    r"(?:sleep|benchmark|pg_sleep)(?:\(|%28)",
)
SQL_ERRORS = (
    "syntax error at or near", "You have an error in your SQL syntax", "sqlite3.OperationalError",
    "unrecognized token:", "Unclosed quotation mark after the character string", "Incorrect syntax near",
    "ORA-[0-9]{5}", "sqlalchemy.exc.", "psycopg2.errors.", "MongoServerError", "pymysql.err.",
)
LEAKS = (
    r"(?:authorization|cookie)\"?\s*[:=]\s*\"?(?:bearer|basic) [a-z0-9._~+/=-]{8}",
    r"[?&](?:access_token|api_key|apikey|password|token)=[^&\s\"]{6}",
)


def alternation(patterns: tuple[str, ...]) -> str:
    return "(?i)(?:" + "|".join(patterns) + ")"
