"""journald's export as JSON (``journalctl -o json``): one object per entry, the message inside.

The message itself is often another format (an nginx access line, a JSON
application event), so the entry's ``MESSAGE`` is handed back to be read by the
format it is in; ``PRIORITY`` (syslog 0-7) gives the level when the message has none,
``__REALTIME_TIMESTAMP`` (microseconds) the time.
"""

from __future__ import annotations

import json

#: syslog priorities to the common level names.
PRIORITIES = {0: "critical", 1: "critical", 2: "critical", 3: "error", 4: "warning", 5: "info", 6: "info", 7: "debug"}


def entry(text: str) -> tuple[str, float | None, str, str] | None:
    """(message, time, level, unit) of one journald JSON line; None when the line is not an entry."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or "MESSAGE" not in data:
        return None
    message = data["MESSAGE"]
    if isinstance(message, list):  # journald writes non-UTF-8 messages as byte arrays
        message = bytes(b for b in message if isinstance(b, int) and 0 <= b < 256).decode("utf-8", "replace")
    if not isinstance(message, str):
        message = str(message)
    try:
        time = int(data.get("__REALTIME_TIMESTAMP", "")) / 1e6
    except (TypeError, ValueError, OverflowError):  # a hostile line may hold Infinity
        time = None
    try:
        level = PRIORITIES.get(int(data.get("PRIORITY", 6)), "info")
    except (TypeError, ValueError, OverflowError):
        level = "info"
    unit = str(data.get("_SYSTEMD_UNIT") or data.get("SYSLOG_IDENTIFIER") or "")
    return message, time, level, unit
