"""The Prometheus exporter of ``bastion logs --follow --metrics-port N``.

Metric names are a contract: the alerting rules of ``bastion logs rules --for
prometheus`` query exactly these (:data:`NAMES`), and a test runs those rules
through ``promtool``. Labels stay low-cardinality: signal ids, status classes,
rate-limit zones and levels, never clients or paths.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, start_http_server

from bastion.logs.records import LogRecord, Signal

NAMES = {
    "lines": "bastion_log_lines_total",
    "requests": "bastion_http_requests_total",
    "errors": "bastion_http_errors_total",
    "signals": "bastion_log_signals_total",
    "incidents": "bastion_log_incidents_total",
    "rate_limited": "bastion_rate_limited_total",
    "app_events": "bastion_app_events_total",
    "clients": "bastion_tracked_clients",
}


class Exporter:
    """Counters fed by the follow loop; served on 127.0.0.1 unless told otherwise."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        # prometheus_client appends _total to counters itself: names are given without it
        self.lines = Counter(NAMES["lines"][:-6], "Log lines read", ["source"], registry=self.registry)
        self.requests = Counter(NAMES["requests"][:-6], "HTTP requests seen in access logs", registry=self.registry)
        self.errors = Counter(NAMES["errors"][:-6], "HTTP answers 4xx and 5xx, by status class", ["class"], registry=self.registry)
        self.signals = Counter(NAMES["signals"][:-6], "Signals raised, by signal", ["signal"], registry=self.registry)
        self.incidents = Counter(NAMES["incidents"][:-6], "Incidents opened, by signal and severity", ["signal", "severity"], registry=self.registry)
        self.rate_limited = Counter(NAMES["rate_limited"][:-6], "Rate-limit rejections, by zone", ["zone"], registry=self.registry)
        self.app_events = Counter(NAMES["app_events"][:-6], "Application log events, by level", ["level"], registry=self.registry)
        self.clients = Gauge(NAMES["clients"], "Clients whose behaviour is being tracked", registry=self.registry)

    def serve(self, port: int, address: str = "127.0.0.1") -> None:
        start_http_server(port, addr=address, registry=self.registry)

    def count_requests(self, count: int) -> None:
        self.requests.inc(count)

    def record(self, record: LogRecord) -> None:
        if record.kind == "access" and record.status >= 400:
            self.errors.labels(f"{record.status // 100}xx").inc()
        elif record.kind != "access" and record.level:
            self.app_events.labels(record.level).inc()
        if record.zone:
            self.rate_limited.labels(record.zone).inc()

    def signal(self, signal: Signal) -> None:
        self.signals.labels(signal.rule).inc(signal.count)

    def incident(self, rule: str, severity: str) -> None:
        self.incidents.labels(rule, severity).inc()
