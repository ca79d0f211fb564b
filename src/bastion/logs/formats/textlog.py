"""Plain-text application logs, and the tracebacks spread over the lines after an event.

Python's logging layouts (``2026-12-07 11:39:02,123 ERROR app: ...``,
``[2026-12-07 11:39:02 +0000] [12] [ERROR] ...`` from gunicorn, ``ERROR:    ...``
from uvicorn) and Node's: the level is the first level word near the start of
the line. A line that starts with white space, ``Traceback``, ``During handling``
or ``The above exception``, or that follows a traceback and names an exception,
continues the event before it; :class:`Assembler` joins them into one record.
"""

from __future__ import annotations

import re2

from bastion.logs.records import LogRecord
from bastion.logs.timeparse import parse_clf, parse_iso

_LEVEL = re2.compile(r"(?i)(?:^|[\s\[(|:=\"])(trace|debug|info|notice|warn|warning|error|err|critical|crit|fatal|alert|emerg|severe|panic)(?:$|[\s\]):|,\"])")
_ISO = re2.compile(r"(\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?)")
_CLF = re2.compile(r"\[(\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d [+-]\d{4})\]")
_EXCEPTION_LINE = re2.compile(r"^[\w.]*(?:Error|Exception|Warning|Exit|Interrupt|Fault)\b[^\n]*$|^[\w.]+: ")
_CONTINUATION = ("Traceback (most recent call last)", "During handling of the above exception",
                 "The above exception was the direct cause", "Caused by:", "  ", "\t")
_CLIENT = re2.compile(r"(?:client[_ ]?(?:ip|addr(?:ess)?)?|remote[_ ]?(?:ip|addr)|ip|from)[=: ]\s*\"?(\d{1,3}(?:\.\d{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:]+)")
_USER = re2.compile(r"(?i)(?:user(?:name)?|login|account|email)[=: ]\s*['\"]?([^\s'\",;]{1,128})")

LEVEL_NAMES = {"trace": "debug", "debug": "debug", "info": "info", "notice": "info", "warn": "warning",
               "warning": "warning", "error": "error", "err": "error", "severe": "error", "critical": "critical",
               "crit": "critical", "fatal": "critical", "alert": "critical", "emerg": "critical", "panic": "critical"}
#: How many lines one event may gather (a runaway traceback is cut, never held whole).
MAX_EVENT_LINES = 200


def line_time(text: str) -> float | None:
    iso = _ISO.search(text[:64])
    if iso:
        return parse_iso(iso.group(1).replace(" ", "T", 1))
    clf = _CLF.search(text[:64])
    return parse_clf(clf.group(1)) if clf else None


def parse_line(text: str, source: str, line: int) -> LogRecord:
    level = _LEVEL.search(text[:120])
    client = _CLIENT.search(text)
    user = _USER.search(text)
    return LogRecord(source=source, line=line, kind="app", text=text, time=line_time(text),
                     level=LEVEL_NAMES.get(level.group(1).lower(), "") if level else "",
                     message=text, client=client.group(1) if client else "",
                     user=user.group(1) if user else "")


def is_continuation(text: str, previous: LogRecord | None) -> bool:
    """Does ``text`` continue the event before it (a traceback line, a stack frame, the exception line)?"""
    if previous is None or not text:
        return False
    if text.startswith(_CONTINUATION) or text.startswith("    at "):
        return True
    in_trace = "Traceback (most recent call last)" in previous.text or "\n    at " in previous.text
    return in_trace and previous.end_line > previous.line and _EXCEPTION_LINE.search(text) is not None and line_time(text) is None


class Assembler:
    """Joins continuation lines into the record before them; :meth:`push` returns a record once it is complete."""

    def __init__(self, parse=parse_line) -> None:
        self._parse = parse
        self._pending: LogRecord | None = None
        self._lines: list[str] = []

    def push(self, text: str, source: str, line: int) -> LogRecord | None:
        if self._pending is not None and is_continuation(text, self._pending) and len(self._lines) < MAX_EVENT_LINES:
            self._lines.append(text)
            self._pending.text = "\n".join(self._lines)
            self._pending.message = self._pending.text
            self._pending.end_line = line
            return None
        done = self.flush()
        self._pending = self._parse(text, source, line)
        self._pending.end_line = line
        self._lines = [text]
        return done

    def flush(self) -> LogRecord | None:
        done, self._pending, self._lines = self._pending, None, []
        return done
