"""Client behaviour over time: sliding windows per key, and per-minute series against the log's own baseline.

Memory is bounded whatever the log holds: a table keeps at most ``max_keys``
keys (the least recently seen go first), a window at most ``max_events`` events,
a series at most a day of minutes. That is what lets ``--follow`` run for months.
"""

from __future__ import annotations

import statistics
from collections import Counter, OrderedDict, deque
from dataclasses import dataclass, field


@dataclass
class Window:
    """Events of one key within the last ``seconds``: (time, value, line) and how often each value occurs."""

    events: deque = field(default_factory=deque)
    values: Counter = field(default_factory=Counter)
    alerted: bool = False

    def add(self, time: float, value: str, line: int, seconds: float, max_events: int) -> None:
        self.events.append((time, value, line))
        self.values[value] += 1
        while self.events and (self.events[0][0] < time - seconds or len(self.events) > max_events):
            _, old, _ = self.events.popleft()
            self.values[old] -= 1
            if not self.values[old]:
                del self.values[old]

    @property
    def distinct(self) -> int:
        return len(self.values)

    @property
    def first(self) -> tuple[float, str, int]:
        return self.events[0]


class WindowTable:
    """One :class:`Window` per key (a client, a username), least recently used evicted past ``max_keys``."""

    def __init__(self, seconds: float, max_keys: int = 100_000, max_events: int = 2_000) -> None:
        self.seconds, self.max_keys, self.max_events = seconds, max_keys, max_events
        self._windows: OrderedDict[str, Window] = OrderedDict()

    def add(self, key: str, time: float | None, value: str, line: int) -> Window:
        window = self._windows.get(key)
        if window is None:
            window = self._windows[key] = Window()
            if len(self._windows) > self.max_keys:
                self._windows.popitem(last=False)
        else:
            self._windows.move_to_end(key)
        window.add(time or 0.0, value, line, self.seconds, self.max_events)
        return window

    def __len__(self) -> int:
        return len(self._windows)


@dataclass
class Minute:
    total: int = 0
    errors: int = 0
    first_line: int = 0
    source: str = ""


class MinuteSeries:
    """Counts per minute (all and bad), for spikes measured against the median minute of the same log."""

    def __init__(self, keep: int = 1440) -> None:
        self.keep = keep
        self.minutes: OrderedDict[int, Minute] = OrderedDict()

    def add(self, time: float | None, total: int, errors: int, source: str = "", line: int = 0) -> None:
        if time is None:
            return
        key = int(time // 60)
        minute = self.minutes.get(key)
        if minute is None:
            minute = self.minutes[key] = Minute(first_line=line, source=source)
            while len(self.minutes) > self.keep:
                self.minutes.popitem(last=False)
        minute.total += total
        minute.errors += errors
        if not minute.first_line and line:
            minute.first_line, minute.source = line, source

    def ratio_spikes(self, factor: float, min_errors: int, floor: float = 0.05) -> list[tuple[int, Minute, float]]:
        """Minutes whose error ratio is at least ``floor`` and ``factor`` times the median minute's."""
        ratios = [m.errors / m.total for m in self.minutes.values() if m.total]
        if not ratios:
            return []
        baseline = statistics.median(ratios)
        out = []
        for key, minute in self.minutes.items():
            ratio = minute.errors / minute.total if minute.total else 0.0
            if minute.errors >= min_errors and ratio >= floor and ratio >= factor * baseline:
                out.append((key, minute, baseline))
        return out

    def count_bursts(self, factor: float, minimum: int) -> list[tuple[int, Minute, float]]:
        """Minutes with at least ``minimum`` bad events and ``factor`` times the median minute's count."""
        counts = [m.errors for m in self.minutes.values()]
        if not counts:
            return []
        baseline = statistics.median(counts)
        return [(k, m, baseline) for k, m in self.minutes.items() if m.errors >= minimum and m.errors >= factor * baseline]
