"""Log lines for the tests: built the way nginx, Apache and the logging libraries write them."""

from __future__ import annotations

import datetime as dt

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"
START = dt.datetime(2026, 12, 7, 11, 0, 0, tzinfo=dt.timezone.utc)


def clf_time(seconds: float) -> str:
    return (START + dt.timedelta(seconds=seconds)).strftime("%d/%b/%Y:%H:%M:%S +0000")


def access(client: str, target: str, status: int = 200, at: float = 0, method: str = "GET", agent: str = BROWSER,
           referer: str = "-", forwarded: str | None = None) -> str:
    line = f'{client} - - [{clf_time(at)}] "{method} {target} HTTP/1.1" {status} 512 "{referer}" "{agent}"'
    return line + (f' "{forwarded}"' if forwarded is not None else "")


def nginx_error(message: str, at: float = 0, level: str = "error") -> str:
    stamp = (START + dt.timedelta(seconds=at)).strftime("%Y/%m/%d %H:%M:%S")
    return f"{stamp} [{level}] 7#7: *{int(at) + 1} {message}"


def write(tmp_path, name: str, lines: list[str]) -> str:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def rules_of(report) -> dict[str, list]:
    out: dict[str, list] = {}
    for finding in report.findings:
        out.setdefault(finding.rule_id, []).append(finding)
    return out
