"""A whole run: sources expanded, each read into one analyzer, incidents into a report."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bastion import __version__
from bastion.logs import findings, options as log_options, reader, sources
from bastion.logs.analyzer import Analyzer
from bastion.logs.formats.nginx_conf import NginxConfigError, NginxFormats
from bastion.logs.formats.nginx_conf import read as read_nginx
from bastion.logs.incidents import IncidentBook, OpenIncident
from bastion.logs.records import Signal
from bastion.core.model import Finding, Note, Severity
from bastion.core.result import Report, ScanStats


class LogRunError(ValueError):
    """The run could not start: a missing file, a bad option. The message says which."""


@dataclass
class Session:
    """Everything one run shares: the analyzer, the incident book, and who hears about new incidents."""

    opts: log_options.LogOptions
    on_incident: Callable[[OpenIncident], None] | None = None
    on_signal: Callable[[Signal], None] | None = None
    book: IncidentBook = field(default_factory=IncidentBook)
    nginx: NginxFormats | None = None
    links: object = None
    analyzer: Analyzer = field(init=False)

    def __post_init__(self) -> None:
        if self.opts.source:
            from dataclasses import replace

            from bastion.logs.linking import build

            if not Path(self.opts.source).is_dir():
                raise LogRunError(f"--source {self.opts.source}: not a directory")
            self.links = build(self.opts.source)
            if not self.opts.login_paths and self.links.login_routes():
                self.opts = replace(self.opts, login_paths=self.links.login_routes())
        self.analyzer = Analyzer(self.opts, self.signal)
        if self.opts.nginx_conf:
            try:
                self.nginx = read_nginx(self.opts.nginx_conf)
            except NginxConfigError as exc:
                raise LogRunError(str(exc)) from None
        self.scan_secrets = reader.signals_from_secrets(self.secret_signal, self.opts)

    def signal(self, signal: Signal) -> None:
        incident, new = self.book.add(signal)
        if self.on_signal is not None:
            self.on_signal(signal)
        if new and self.on_incident is not None:
            self.on_incident(incident)

    def secret_signal(self, signal: Signal) -> None:
        self.analyzer.signals[signal.rule] += 1
        self.signal(signal)

    def reader_for(self, name: str, head: bytes) -> reader.SourceReader:
        try:
            fmt_access = reader.choose_access_format(name, self.nginx, self.opts.log_format)
        except ValueError as exc:
            raise LogRunError(str(exc)) from None
        fmt = self.opts.input_format
        if fmt == "auto":
            fmt = reader.sniff(head.decode("utf-8", "replace").split("\n"), fmt_access)
        elif fmt == "json":
            fmt = "json"
        return reader.SourceReader(self.analyzer, name, fmt, fmt_access, self.scan_secrets)

    def read(self, source: sources.Source) -> None:
        stream = sources.open_source(source)
        try:
            current = None
            for chunk in sources.chunks(stream):
                if current is None:
                    current = self.reader_for(source.name, chunk[:65536])
                current.feed(chunk)
            if current is not None:
                current.finish()
        finally:
            if source.path is not None:
                stream.close()

    def report(self, root: str, started: float, fail_on: Severity | None, notes: list[Note]) -> Report:
        self.analyzer.finish()
        found: list[Finding] = [findings.to_finding(i, self.links) for i in self.book.incidents()]
        counts: dict[tuple[str, str], int] = {}
        out = []
        for finding in sorted(found, key=Finding.sort_key):
            key = (finding.rule_id, finding.location.path)
            counts[key] = counts.get(key, 0) + 1
            out.append(finding.with_fingerprint(counts[key] - 1))
        rules = findings.rules()
        stats = ScanStats(files_scanned=0, lines_scanned=self.analyzer.lines_read, duration_seconds=time.monotonic() - started,
                          engines=[findings.ENGINE])
        return Report(root=root, findings=out, rules={f.rule_id: rules[f.rule_id] for f in out}, notes=notes,
                      stats=stats, fail_on=fail_on, tool_version=__version__, details=self.analyzer.summary())


def _severity(value: str | Severity | None) -> Severity | None:
    if value is None or value == "never":
        return None
    return value if isinstance(value, Severity) else Severity.parse(value)


def analyze_logs(
    paths: str | Path | Iterable[str | Path] = "-",
    *,
    fail_on: str | Severity | None = "medium",
    min_severity: str | Severity | None = None,
    **options: Any,
) -> Report:
    """Read logs (files, folders, ``-`` for standard input) and report one finding per incident.

    ``options`` are those of :class:`bastion.logs.options.LogOptions`: ``input_format``,
    ``nginx_conf`` and ``log_format`` (the user's own nginx layout), ``trusted_proxies``,
    ``alert_private``, ``health_paths``, ``login_paths``, ``thresholds`` (a dict)...
    Exit code and ``fail_on`` work as in :func:`bastion.scan`.
    """
    started = time.monotonic()
    raw = [str(paths)] if isinstance(paths, (str, Path)) else [str(p) for p in paths]
    try:
        opts = log_options.parse(options)
        expanded = sources.expand(raw or ["-"])
        threshold = _severity(fail_on)
        floor = _severity(min_severity)
    except (log_options.LogOptionsError, sources.SourceError, ValueError) as exc:
        raise LogRunError(str(exc)) from None
    session = Session(opts)
    notes: list[Note] = []
    for source in expanded:
        try:
            session.read(source)
        except sources.SourceError as exc:
            notes.append(Note("error", str(exc), source.name))
    report = session.report(str(Path.cwd()), started, threshold, notes)
    report.stats.files_scanned = len(expanded) - len(notes)
    if floor is not None:
        kept = [f for f in report.findings if f.severity.rank >= floor.rank]
        report.below_threshold = len(report.findings) - len(kept)
        report.findings = kept
    return report


def follow_logs(
    paths: Iterable[str | Path],
    *,
    on_alert: Callable[[Finding], None],
    should_stop: Callable[[], bool],
    metrics_port: int | None = None,
    metrics_address: str = "127.0.0.1",
    from_start: bool = False,
    **options: Any,
) -> Report:
    """Follow logs until ``should_stop()``; ``on_alert`` gets a finding for each new incident as it opens.

    With ``metrics_port`` the counters of :mod:`bastion.logs.metrics` are served for Prometheus.
    Returns the report of everything seen when it stops.
    """
    from bastion.logs import follow
    from bastion.logs.metrics import Exporter

    started = time.monotonic()
    try:
        opts = log_options.parse(options)
        names = [str(p) for p in paths] or ["-"]
        for name in names:
            if name != "-" and not Path(name).is_file():
                raise LogRunError(f"{name}: --follow needs files (or -), not {'a folder' if Path(name).is_dir() else 'a missing path'}")
    except log_options.LogOptionsError as exc:
        raise LogRunError(str(exc)) from None
    exporter = Exporter() if metrics_port is not None else None

    def opened(incident: OpenIncident) -> None:
        finding = findings.to_finding(incident, session.links)
        if exporter is not None:
            exporter.incident(finding.rule_id, finding.severity.value)
        on_alert(finding)

    session = Session(opts, on_incident=opened, on_signal=exporter.signal if exporter else None)
    if exporter is not None:
        session.analyzer.on_record = exporter.record
        session.analyzer.on_requests = exporter.count_requests
        try:
            exporter.serve(metrics_port, metrics_address)
        except OSError as exc:
            raise LogRunError(f"cannot serve metrics on {metrics_address}:{metrics_port}: {exc.strerror}") from None
    tails = {name: follow.StdinTail() if name == "-" else follow.Tail(Path(name), from_start) for name in names}
    readers: dict[str, reader.SourceReader] = {}

    def feed(name: str, chunk: bytes, new_file: bool) -> None:
        current = readers.get(name)
        if current is not None and new_file:
            current.finish()
            current.line = 0  # a rotated-in file counts its own lines
        if not chunk:
            return
        if current is None:
            current = readers[name] = session.reader_for(name, chunk[:65536])
        current.feed(chunk)
        if exporter is not None:
            exporter.lines.labels(name).inc(chunk.count(b"\n"))
            exporter.clients.set(len(session.analyzer.probing))

    try:
        follow.follow(tails, feed, session.analyzer.judge_minutes, should_stop)
    finally:
        for tail in tails.values():
            tail.close()
    for current in readers.values():
        current.finish()
    return session.report(str(Path.cwd()), started, Severity.MEDIUM, [])
