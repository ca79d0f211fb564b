"""Reading one log into the analyzer: sniff its format, then lines to records (access logs by the fast path).

Formats are told apart by their first lines (:func:`sniff`); the user can name
one (``--input-format``). Every chunk also goes through Bastion's secret
detectors once, whatever its format: a credential is a leak in any log.
"""

from __future__ import annotations

from collections.abc import Iterator

from bastion.logs.analyzer import Analyzer, safe_sample
from bastion.logs.formats import access, error_log, journald, jsonl, textlog
from bastion.logs.formats.nginx_conf import NginxFormats
from bastion.logs.prefilter import LinePicker
from bastion.logs.records import LogRecord, Signal
from bastion.logs.timeparse import parse_clf

SNIFF_LINES = 20


def sniff(lines: list[str], access_format: access.AccessFormat) -> str:
    """``access``, ``error``, ``journald``, ``json`` or ``text``: the format most of the first lines are in."""
    sample = [line for line in lines[:SNIFF_LINES] if line.strip()]
    if not sample:
        return "text"
    compiled = access_format.compiled()
    votes = {"access": 0, "error": 0, "journald": 0, "json": 0}
    for line in sample:
        if line.lstrip().startswith("{"):
            votes["journald" if '"__REALTIME_TIMESTAMP"' in line or '"MESSAGE"' in line else "json"] += 1
        elif access.parse_line(compiled, line, "", 0) is not None:
            votes["access"] += 1
        elif error_log.NGINX.search(line) or error_log.APACHE.search(line):
            votes["error"] += 1
    best = max(votes, key=votes.get)
    return best if votes[best] * 2 >= len(sample) else "text"


class SourceReader:
    """Feeds one log's chunks to the analyzer; keeps the line count and any event still being assembled."""

    def __init__(self, analyzer: Analyzer, name: str, fmt: str, access_format: access.AccessFormat,
                 scan_secrets) -> None:
        self.analyzer, self.name, self.fmt = analyzer, name, fmt
        self.access_format = access_format
        self.compiled = access_format.compiled()
        self.picker = LinePicker(status_generic=access_format.pattern != access.COMBINED,
                                 skip_asset_misses=analyzer.on_record is None) if fmt == "access" else None
        self.assembler = textlog.Assembler()
        self.scan_secrets = scan_secrets
        self.line = 0  # lines read so far

    def feed(self, chunk: bytes) -> None:
        first = self.line + 1
        count = chunk.count(b"\n") + (0 if chunk.endswith(b"\n") else 1)
        self.line += count
        self.analyzer.lines_read += count
        self.scan_secrets(chunk, self.name, first)
        if self.fmt == "access":
            self._access_chunk(chunk, first)
            return
        text = chunk.decode("utf-8", "replace")
        for offset, line in enumerate(text.split("\n")[:count]):
            for record in self._records(line.rstrip("\r"), first + offset):
                self.analyzer.record(record)

    def finish(self) -> None:
        pending = self.assembler.flush()
        if pending is not None:
            self.analyzer.record(pending)

    # -- access logs: count every line, parse the picked ones ----------------------------------------------

    def _time_of(self, line: bytes) -> float | None:
        start = line.find(b"[")
        if start >= 0 and self.access_format.pattern == access.COMBINED:
            return parse_clf(line[start + 1:start + 27].decode("latin-1"))
        record = access.parse_line(self.compiled, line, self.name, 0)
        return record.time if record else None

    def _minute_at(self, chunk: bytes, start: int) -> int | None:
        end = chunk.find(b"\n", start)
        seconds = self._time_of(chunk[start:end if end >= 0 else len(chunk)])
        return None if seconds is None else int(seconds // 60)

    def _count(self, chunk: bytes, first_line: int) -> None:
        """Count the chunk's lines per minute. A chunk spans a few minutes of a time-ordered log: each minute's last
        line is found by bisecting on byte offsets (a dozen timestamps read per minute), then its lines are counted
        once. A line whose time cannot be read counts in no minute."""
        size = len(chunk)
        last = chunk.rfind(b"\n", 0, size - 1) + 1
        start, line = 0, first_line
        while start < size:
            minute = self._minute_at(chunk, start)
            if start == last or self._minute_at(chunk, last) == minute:
                end = size
            else:
                low, end = start, last  # the line at ``low`` is in the minute, the one at ``end`` is not
                while True:
                    probe = chunk.find(b"\n", (low + end) // 2, end) + 1
                    if probe <= low or probe >= end:
                        probe = chunk.find(b"\n", low, end) + 1
                        if probe >= end:
                            break
                    if self._minute_at(chunk, probe) == minute:
                        low = probe
                    else:
                        end = probe
            lines = chunk.count(b"\n", start, end) + (0 if chunk[end - 1:end] == b"\n" else 1)
            if minute is not None:
                self.analyzer.count_requests(minute * 60.0, lines, self.name, line)
            start, line = end, line + lines

    def _access_chunk(self, chunk: bytes, first: int) -> None:
        self._count(chunk, first)
        picks = self.picker.picks(chunk)
        line_no, position = first, 0
        for start, content in picks:
            line_no += chunk.count(b"\n", position, start)
            position = start
            end = chunk.find(b"\n", start)
            record = access.parse_line(self.compiled, chunk[start:end if end >= 0 else len(chunk)].rstrip(b"\r"), self.name, line_no)
            if record is not None:
                self.analyzer.record(record, counted=True, content=content)

    # -- other formats, line by line ------------------------------------------------------------------------

    def _records(self, line: str, number: int) -> Iterator[LogRecord]:
        if self.fmt == "journald":
            entry = journald.entry(line)
            if entry is None:
                return
            message, time, level, unit = entry
            inner = self._inner(message, unit or self.name, number)
            if inner.time is None:
                inner.time = time
            if not inner.level:
                inner.level = level
            yield inner
            return
        if self.fmt == "error":
            record = error_log.parse_line(line, self.name, number)
            if record is not None:
                yield record
                return
        if self.fmt == "json" or line.startswith("{"):  # text logs carry JSON events too (a structlog renderer)
            record = jsonl.parse_line(line, self.name, number)
            if record is not None:
                pending = self.assembler.flush()
                if pending is not None:
                    yield pending
                yield record
                return
        done = self.assembler.push(line, self.name, number)
        if done is not None:
            yield done

    def _inner(self, message: str, source: str, number: int) -> LogRecord:
        """A journald message read as the format it is in itself."""
        record = access.parse_line(self.compiled, message, self.name, number)
        if record is None:
            record = jsonl.parse_line(message, self.name, number)
        if record is None:
            record = error_log.parse_line(message, self.name, number)
        if record is None:
            record = textlog.parse_line(message, self.name, number)
        record.fields.setdefault("unit", source)
        return record


def choose_access_format(name: str, nginx: NginxFormats | None, log_format: str | None) -> access.AccessFormat:
    """The layout for a log: the one named, else the one nginx's ``access_log`` gives this file, else combined."""
    if nginx is not None:
        if log_format:
            if log_format not in nginx.formats:
                raise ValueError(f"log_format {log_format!r} is not defined in the nginx configuration "
                                 f"(defined: {', '.join(sorted(nginx.formats))})")
            return nginx.formats[log_format]
        found = nginx.for_log(name)
        if found is not None:
            return found
    return access.BUILTIN


def signals_from_secrets(emit, options) -> callable:
    """A chunk scanner that turns the secret detectors' findings into ``log-secret`` signals (values redacted)."""
    from bastion.secrets import scan_text

    settings = {"show_secrets": False}

    def scan(chunk: bytes, name: str, first_line: int) -> None:
        for finding in scan_text(chunk, "log.txt", settings):
            if finding.confidence.value == "low":
                continue
            detector = finding.properties.get("detector", finding.rule_id)
            emit(Signal("log-secret", name, None, name, first_line + finding.location.line - 1,
                        safe_sample(finding.snippet), (("what", str(detector)),)))

    return scan
