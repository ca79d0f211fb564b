"""The typed data passed between the layers of ``bastion logs``: a parsed log record and a signal.

Readers turn lines into :class:`LogRecord`; detectors turn records into
:class:`Signal`; the incident layer groups signals per client. Nothing here
parses or detects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class LogRecord:
    """One event of a log: an access-log line, an error-log line, or an application event (maybe several lines).

    ``kind`` is ``access``, ``error`` (web server error log) or ``app``. Fields a format does not
    carry stay empty. ``client`` is the address as logged; the allow-list layer resolves it
    behind trusted proxies into ``client``.
    """

    source: str
    line: int
    kind: str
    text: str
    time: float | None = None
    client: str = ""
    forwarded_for: str = ""
    method: str = ""
    target: str = ""
    status: int = 0
    user_agent: str = ""
    referer: str = ""
    user: str = ""
    level: str = ""
    message: str = ""
    zone: str = ""
    end_line: int = 0
    fields: dict[str, Any] = field(default_factory=dict)

    @property
    def path(self) -> str:
        """The request target without its query string."""
        return self.target.split("?", 1)[0]


@dataclass(frozen=True, slots=True)
class Signal:
    """One detector's verdict on one record: which rule, who, when, where, and a redacted sample."""

    rule: str
    client: str
    time: float | None
    source: str
    line: int
    sample: str
    detail: tuple[tuple[str, str], ...] = ()
    count: int = 1              # lines this signal stands for (a window's worth when a threshold is crossed)
    since: float | None = None  # when the first of them was seen
