"""Signals grouped into incidents: one client's lines for one signal, with first and last time and counts.

The book is bounded: past ``max_incidents`` the incident seen least recently
is dropped (in follow mode it has been alerted already).
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from dataclasses import dataclass, field

from bastion.logs.records import Signal

MAX_LINES = 5
MAX_SAMPLES = 3
MAX_DETAILS = 200


@dataclass
class OpenIncident:
    rule: str
    client: str
    source: str
    line: int
    first: float | None
    last: float | None
    count: int = 0
    lines: list[tuple[str, int]] = field(default_factory=list)
    samples: list[str] = field(default_factory=list)
    details: Counter = field(default_factory=Counter)

    def add(self, signal: Signal) -> None:
        start = signal.since if signal.since is not None else signal.time
        if start is not None and (self.first is None or start < self.first):
            self.first = start
        if signal.time is not None and (self.last is None or signal.time > self.last):
            self.last = signal.time
        self.count += signal.count
        if len(self.lines) < MAX_LINES:
            self.lines.append((signal.source, signal.line))
        if len(self.samples) < MAX_SAMPLES and signal.sample not in self.samples:
            self.samples.append(signal.sample)
        for key, value in signal.detail:
            if len(self.details) < MAX_DETAILS or (key, value) in self.details:
                self.details[(key, value)] += 1


class IncidentBook:
    def __init__(self, max_incidents: int = 50_000) -> None:
        self.max_incidents = max_incidents
        self._open: OrderedDict[tuple[str, str], OpenIncident] = OrderedDict()

    def add(self, signal: Signal) -> tuple[OpenIncident, bool]:
        """The incident the signal belongs to, and whether it is new."""
        key = (signal.rule, signal.client)
        incident = self._open.get(key)
        new = incident is None
        if incident is None:
            incident = self._open[key] = OpenIncident(signal.rule, signal.client, signal.source, signal.line,
                                                      signal.since if signal.since is not None else signal.time, signal.time)
            if len(self._open) > self.max_incidents:
                self._open.popitem(last=False)
        else:
            self._open.move_to_end(key)
        incident.add(signal)
        return incident, new

    def incidents(self) -> list[OpenIncident]:
        return list(self._open.values())
