"""Timestamps of every supported log format to POSIX seconds, fast on the hot path.

Access logs repeat the same minute thousands of times: the date part is parsed
once per distinct minute prefix and cached; only the seconds are read per line.
"""

from __future__ import annotations

import calendar
import datetime as dt
from functools import lru_cache

_MONTHS = {m: i for i, m in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1)}


@lru_cache(maxsize=4096)
def _clf_minute(prefix: str, zone: str) -> float:
    """``07/Dec/2026:11:39`` and ``+0100`` to the POSIX time of that minute."""
    day, month, rest = prefix.split("/")
    year, hour, minute = rest.split(":")
    offset = (int(zone[1:3]) * 3600 + int(zone[3:5]) * 60) * (-1 if zone[0] == "-" else 1)
    return calendar.timegm((int(year), _MONTHS[month], int(day), int(hour), int(minute), 0)) - offset


def parse_clf(text: str) -> float | None:
    """Common Log Format time ``07/Dec/2026:11:39:02 +0000``; None when it is not one."""
    try:
        zone = text[21:26] if len(text) >= 26 else "+0000"
        return _clf_minute(text[:17], zone) + int(text[18:20])
    except (ValueError, KeyError, IndexError):
        return None


@lru_cache(maxsize=4096)
def _naive_minute(prefix: str) -> float:
    """``2026/12/07 11:39`` or ``2026-12-07T11:39`` (UTC) to POSIX seconds."""
    return calendar.timegm((int(prefix[0:4]), int(prefix[5:7]), int(prefix[8:10]), int(prefix[11:13]), int(prefix[14:16]), 0))


def parse_iso(text: str) -> float | None:
    """ISO 8601 (``2026-12-07T11:39:02.123Z``, with an offset, or a space) or nginx error-log time; None if not."""
    try:
        if len(text) > 19 and text[19] not in "Z+-.,":
            return _naive_minute(text[:16]) + int(text[17:19])
        if len(text) <= 19 or text[19] == "Z" or text[19] in ".," and text.rstrip().endswith("Z"):
            return _naive_minute(text[:16]) + float(text[17:19] + ("." + text[20:].rstrip("Z")[:6] if text[19:20] in ".," else ""))
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace(",", "."))
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        return value.timestamp()
    except (ValueError, IndexError):
        return None


def parse_any(value: object) -> float | None:
    """A JSON log's time field: epoch seconds or milliseconds (pino), or an ISO string."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number = float(value)
        if number > 1e17:  # nanoseconds
            return number / 1e9
        if number > 1e14:  # microseconds (journald)
            return number / 1e6
        return number / 1000 if number > 1e11 else number
    if isinstance(value, str) and value:
        if value.isdigit():
            return parse_any(int(value))
        return parse_iso(value) or parse_clf(value.strip("[]"))  # gunicorn's %(t)s keeps the brackets
    return None


def iso(seconds: float | None) -> str:
    """POSIX seconds as an ISO 8601 UTC string (empty when unknown)."""
    if seconds is None:
        return ""
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
