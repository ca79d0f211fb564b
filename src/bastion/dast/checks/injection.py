"""Injection into the server's interpreters, proven by what comes back: SQL (error and boolean), OS commands and
templates (a computed canary), path traversal (a known file's content) and reflected XSS (our tag, unescaped, in HTML)."""

from __future__ import annotations

import secrets

import re2

from bastion.dast.checks.common import base_value, baseline, for_each_operation, inputs, send_payload
from bastion.dast.confirm import Signatures, answered, factors, signature, token
from bastion.dast.context import RunContext
from bastion.dast.spec import Operation, Parameter

NAME = "injection"
PHASE = "active"

#: DBMS error signatures (sqlmap's errors.xml in spirit): the DBMS is named from the one that shows.
DBMS_ERRORS = {
    "SQLite": r"sqlite3?\.OperationalError|SQLITE_ERROR|unrecognized token:|near \"[^\"]{0,40}\": syntax error|SQLiteException|no such column",
    "MySQL": r"You have an error in your SQL syntax|check the manual that corresponds to your (MySQL|MariaDB)|mysql_fetch|MySqlException|com\.mysql\.jdbc|ER_PARSE_ERROR",
    "PostgreSQL": r"unterminated quoted string at or near|PG::SyntaxError|psycopg2?\.errors|org\.postgresql|syntax error at or near|PSQLException",
    "Microsoft SQL Server": r"Unclosed quotation mark after the character string|Microsoft OLE DB Provider for SQL Server|SqlException|ODBC SQL Server Driver|Incorrect syntax near",
    "Oracle": r"ORA-\d{5}|quoted string not properly terminated|oracle\.jdbc",
}
_DBMS = Signatures(DBMS_ERRORS)
_PASSWD = re2.compile(r"root:[^:\n]{0,20}:0:0:")
_WIN_INI = re2.compile(r"\[fonts\]|; for 16-bit app support")
_TRAVERSALS = ("../" * 10, "..%2f" * 10, "....//" * 10, "/", "..\\" * 10)


def run(ctx: RunContext) -> None:
    def work(op: Operation) -> None:
        for param in inputs(ctx, op, numeric=True):
            sql_error(ctx, op, param) or sql_boolean(ctx, op, param)
            if param.schema.get("type") in ("integer", "number"):
                continue
            command(ctx, op, param)
            template(ctx, op, param)
            traversal(ctx, op, param)
            xss(ctx, op, param)
    for_each_operation(ctx, work)


def dbms_error(body: str) -> str | None:
    return _DBMS.first(body)


def sql_error(ctx: RunContext, op: Operation, param: Parameter) -> bool:
    """A quote that breaks the query shows the DBMS's error; the same quote doubled (balanced) does not."""
    base = str(base_value(ctx, op, param))
    before = baseline(ctx, op)
    if before is not None and dbms_error(before.body):
        return False
    for breaker in ("'", '"', "')"):
        broken = send_payload(ctx, op, param, base + breaker)
        dbms = dbms_error(broken.body)
        if not dbms:
            continue
        balanced = send_payload(ctx, op, param, base + breaker + breaker.replace(")", ""))
        again = send_payload(ctx, op, param, base + breaker)
        if answered(balanced) and dbms_error(balanced.body) is None and dbms_error(again.body) == dbms:
            ctx.report("dast-sql-injection", op, param.name,
                       f"{op.key}: a {breaker!r} in {param.location} parameter '{param.name}' makes {dbms} report a "
                       f"syntax error, and the balanced {breaker + breaker!r} does not: the value is spliced into SQL",
                       again, technique="error", dbms=dbms)
            return True
    return False


def _boolean_shapes(base: str, numeric: bool, n: int) -> list[tuple[str, str, str]]:
    """(name, true payload, false payload) pairs around the number ``n`` and two random words, so that a repeat
    with another ``n`` differs in every literal (an echo the server escapes cannot then look the same twice)."""
    a, b = token("a")[:6], token("b")[:6]
    shapes = [("string AND", f"{base}' AND '{a}'='{a}", f"{base}' AND '{a}'='{b}"),
              ("string OR", f"{token('x')}' OR '{a}'='{a}", f"{token('x')}' OR '{a}'='{b}"),
              ("comment OR", f"{base}' OR {n}={n}-- ", f"{base}' OR {n}={n + 1}-- ")]
    if numeric or base.isdigit():
        shapes.insert(0, ("numeric AND", f"{base} AND {n}={n}", f"{base} AND {n}={n + 1}"))
    return shapes


def sql_boolean(ctx: RunContext, op: Operation, param: Parameter) -> bool:
    """A true and a false condition give two different answers, the same two again with other literals."""
    base = str(base_value(ctx, op, param))
    numeric = param.schema.get("type") in ("integer", "number")
    n = 10 + secrets.randbelow(80)
    first = _boolean_shapes(base, numeric, n)
    second = _boolean_shapes(base, numeric, n + 1 + secrets.randbelow(80))
    for (name, t1, f1), (_, t2, f2) in zip(first, second):
        true1, false1 = send_payload(ctx, op, param, t1), send_payload(ctx, op, param, f1)
        if not answered(true1, false1) or signature(true1, t1) == signature(false1, f1):
            continue
        if true1.status >= 500 and false1.status >= 500:
            continue
        true2, false2 = send_payload(ctx, op, param, t2), send_payload(ctx, op, param, f2)
        if signature(true2, t2) == signature(true1, t1) and signature(false2, f2) == signature(false1, f1):
            dbms = dbms_error(false1.body) or dbms_error(true1.body)
            ctx.report("dast-sql-injection", op, param.name,
                       f"{op.key}: {param.location} parameter '{param.name}' decides the answer by SQL logic "
                       f"({name}: a true condition answers {true1.status} with one body, a false one {false1.status} "
                       f"with another, twice with different literals)", true2, technique="boolean", dbms=dbms)
            return True
    return False


_SEPARATORS = (";", "|", "&&", "\n", "$(", "`")


def _command(sep: str, a: int, b: int) -> str:
    inner = f"echo bstn$(({a}*{b}))"
    if sep == "$(":
        return f"$({inner})"
    if sep == "`":
        return f"`{inner}`"
    return f"{sep}{inner}"


def command(ctx: RunContext, op: Operation, param: Parameter) -> None:
    """``echo bstn$((a*b))`` after a shell separator: only a shell turns it into ``bstn<product>``."""
    base = str(base_value(ctx, op, param))
    for sep in _SEPARATORS:
        a, b = factors()
        first = send_payload(ctx, op, param, base + _command(sep, a, b))
        if f"bstn{a * b}" not in first.body:
            continue
        c, d = factors()
        second = send_payload(ctx, op, param, base + _command(sep, c, d))
        if f"bstn{c * d}" in second.body and f"bstn{a * b}" not in second.body:
            ctx.report("dast-command-injection", op, param.name,
                       f"{op.key}: {param.location} parameter '{param.name}' reaches a shell: after {sep.strip() or 'a newline'!r} "
                       f"it ran `echo $(({c}*{d}))` and the answer holds the product", second, technique="reflected")
            return


_TEMPLATES = (("{{%d*%d}}", "Jinja2/Twig/Nunjucks"), ("${%d*%d}", "Freemarker/JavaScript template literal/EL"),
              ("<%%= %d*%d %%>", "ERB/EJS"), ("#{%d*%d}", "Pug/Ruby interpolation"), ("{%d*%d}", "Smarty"))


def template(ctx: RunContext, op: Operation, param: Parameter) -> None:
    """A template expression ``a*b`` comes back evaluated; with other numbers, again."""
    base = str(base_value(ctx, op, param))
    for shape, family in _TEMPLATES:
        a, b = factors()
        first = send_payload(ctx, op, param, base + shape % (a, b))
        if str(a * b) not in first.body:
            continue
        c, d = factors()
        second = send_payload(ctx, op, param, base + shape % (c, d))
        if str(c * d) in second.body and str(a * b) not in second.body:
            ctx.report("dast-template-injection", op, param.name,
                       f"{op.key}: {param.location} parameter '{param.name}' is evaluated as a template "
                       f"({family} syntax {shape % (c, d)!r} came back as {c * d})", second, engine_family=family)
            return


def traversal(ctx: RunContext, op: Operation, param: Parameter) -> None:
    """``../../etc/passwd`` returns the password file; a file that does not exist at the same depth does not."""
    before = baseline(ctx, op)
    if before is not None and (_PASSWD.search(before.body) or _WIN_INI.search(before.body)):
        return
    for climb in _TRAVERSALS:
        for target, proof in (("etc/passwd", _PASSWD), ("windows/win.ini", _WIN_INI)):
            sep = "%2f" if "%2f" in climb else "/"
            first = send_payload(ctx, op, param, climb + target.replace("/", sep))
            if not proof.search(first.body):
                continue
            missing = send_payload(ctx, op, param, climb + target.rsplit("/", 1)[0].replace("/", sep) + sep + token())
            again = send_payload(ctx, op, param, climb + target.replace("/", sep))
            if not proof.search(missing.body) and proof.search(again.body):
                ctx.report("dast-path-traversal", op, param.name,
                           f"{op.key}: {param.location} parameter '{param.name}' reads files outside its folder: "
                           f"{climb + target!r} returned /{target}", again, file="/" + target)
                return


def xss(ctx: RunContext, op: Operation, param: Parameter) -> None:
    """Our own tag comes back unescaped in an HTML page, twice with different names."""
    base = str(base_value(ctx, op, param))
    first_tag = token("bstnx")
    first = send_payload(ctx, op, param, f'{base}"><{first_tag} x=1>')
    if "html" not in first.content_type or f"<{first_tag} x=1>" not in first.body:
        return
    second_tag = token("bstnx")
    second = send_payload(ctx, op, param, f"{base}'><{second_tag} onmouseover=1>")
    if "html" in second.content_type and f"<{second_tag} onmouseover=1>" in second.body:
        ctx.report("dast-reflected-xss", op, param.name,
                   f"{op.key}: {param.location} parameter '{param.name}' is written unescaped into an HTML page "
                   f"(a <{second_tag} onmouseover=1> tag came back as markup)", second)
