"""Web server error logs: nginx (``2026/12/07 11:39:02 [error] 12#12: *5 ...``) and Apache 2.4.

What matters in them: rate-limit rejections (``limiting requests ... by zone "api"``,
``limiting connections by zone``), basic-auth failures (``user "x" was not found``,
``password mismatch``), requests denied by rule, upstream failures, and files a
client asked for that do not exist (probing). The record keeps the client, the
zone, the user and the request so detectors need not read the text again.
"""

from __future__ import annotations

import re2

from bastion.logs.decode import unescape_log
from bastion.logs.records import LogRecord
from bastion.logs.timeparse import parse_iso

NGINX = re2.compile(r"^(?P<time>\d{4}/\d\d/\d\d \d\d:\d\d:\d\d) \[(?P<level>\w+)\] \d+#\d+: (?:\*\d+ )?(?P<message>.*)$")
APACHE = re2.compile(r"^\[(?P<time>[^\]]+)\] \[(?:(?P<module>[\w-]+):)?(?P<level>\w+)\] (?:\[pid [^\]]*\] )?(?:\[client (?P<client>[^\]]+)\] )?(?P<message>.*)$")
_CLIENT = re2.compile(r", client: ([^,\s]+)")
_ZONE = re2.compile(r'by zone "([^"]*)"')
_REQUEST = re2.compile(r', request: "((?:[^"\\]|\\.)*)"')
_USER = re2.compile(r'user "((?:[^"\\]|\\.)*)"|user (\S+?)(?::| not found| authentication failure)')
_APACHE_MONTHS = {m: i for i, m in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1)}

#: nginx severities to the common level names.
LEVELS = {"emerg": "critical", "alert": "critical", "crit": "critical", "error": "error", "warn": "warning",
          "notice": "info", "info": "info", "debug": "debug"}


def _apache_time(text: str) -> float | None:
    """``Sun Dec 07 11:39:02.123456 2026`` (local time, read as UTC)."""
    parts = text.split()
    if len(parts) != 5 or parts[1] not in _APACHE_MONTHS:
        return None
    return parse_iso(f"{parts[4]}-{_APACHE_MONTHS[parts[1]]:02d}-{int(parts[2]):02d}T{parts[3][:8]}Z")


def parse_line(text: str, source: str, line: int) -> LogRecord | None:
    """The record of one error-log line, or None when it is in neither nginx's nor Apache's layout."""
    match = NGINX.search(text)
    if match is not None:
        time = parse_iso(match.group("time").replace("/", "-"))
        message = match.group("message")
        client_match = _CLIENT.search(message)
        client = client_match.group(1) if client_match else ""
    else:
        match = APACHE.search(text)
        if match is None:
            return None
        time = _apache_time(match.group("time"))
        message = match.group("message")
        client = (match.group("client") or "").rsplit(":", 1)[0] if match.group("client") else ""
        if client.startswith("["):
            client = client.strip("[]")
    zone = _ZONE.search(message)
    request = _REQUEST.search(message)
    user = _USER.search(message)
    method, target = "", ""
    if request:
        method, _, rest = unescape_log(request.group(1)).partition(" ")
        target = rest.rsplit(" ", 1)[0]
    return LogRecord(
        source=source, line=line, kind="error", text=text, time=time, client=client,
        level=LEVELS.get(match.group("level").lower(), match.group("level").lower()),
        message=message, zone=zone.group(1) if zone else "", method=method, target=target,
        user=(user.group(1) or user.group(2) or "") if user else "",
    )
