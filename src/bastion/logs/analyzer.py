"""The detectors wired together: records in, signals out, behaviour state and the summary kept bounded.

One :class:`Analyzer` reads every record of a run (all files, or a followed
stream) so that a client seen in two rotated files is one client. Per-record
work is only what the record's kind needs; windows and series live in
:mod:`bastion.logs.windows`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

import re2

from bastion.logs.allow import AllowList
from bastion.logs.decode import normalize
from bastion.logs.routes import template_pattern
from bastion.logs.options import LogOptions
from bastion.logs.records import LogRecord, Signal
from bastion.logs.signals import app, leaks, payloads, scanners
from bastion.logs.windows import MinuteSeries, WindowTable
from bastion.secrets.redaction import redact

LOGIN_ROUTE = re2.compile(r"(?i)(?:log-?in|sign-?in|sign_in|signin|session|token|auth|password|passwd|reset|"
                          r"wp-login|xmlrpc|otp|2fa|mfa)")
_USER_PARAM = re2.compile(r"(?i)[?&](?:user(?:name)?|login|email|account)=([^&\s]{1,128})")
_SECRET_KEYS = ("password", "passwd", "pwd", "secret", "client_secret", "api_key", "apikey", "token", "access_token",
                "refresh_token", "private_key", "credit_card", "card_number", "cvv", "ssn")
_UPSTREAM = ("upstream timed out", "connect() failed", "no live upstreams", "upstream prematurely closed",
             "upstream sent too big header", "recv() failed")
_MISSING_FILE = re2.compile(r'open\(\) "([^"]+)" failed \(2: No such file|directory index of "[^"]+" is forbidden|access forbidden by rule')
SAMPLE_WIDTH = 200
MAX_KEY_DEPTH = 6


def safe_sample(text: str) -> str:
    """One line, redacted, cut to :data:`SAMPLE_WIDTH`: what a report may show of a log line."""
    text = leaks.redact_text(text.replace("\n", " ").replace("\r", " "))
    return text if len(text) <= SAMPLE_WIDTH else text[: SAMPLE_WIDTH - 1] + "…"


def _secret_fields(data: Any, depth: int = 0) -> Iterable[tuple[str, str]]:
    """(key, value) pairs of JSON fields named like credentials, at any depth."""
    if depth > MAX_KEY_DEPTH:
        return
    if isinstance(data, dict):
        for key, value in data.items():
            name = str(key).lower().replace("-", "_")
            if isinstance(value, str) and value and any(name == k or name.endswith("_" + k) for k in _SECRET_KEYS):
                yield str(key), value
            elif isinstance(value, (dict, list)):
                yield from _secret_fields(value, depth + 1)
    elif isinstance(data, list):
        for item in data[:50]:
            yield from _secret_fields(item, depth + 1)


def _inspect_target(raw: str) -> tuple[str, frozenset[str], tuple[leaks.Leak, ...]]:
    """A request target decoded, the payload families in it, and the leaks in it."""
    target = normalize(raw) if raw else ""
    found = leaks.query_tokens(target) if "=" in target else []
    if "@" in target or leaks.has_long_number(target):
        found += leaks.personal_data(target)
    return target, payloads.target_rules(target), tuple(found)


_inspect_cached = lru_cache(maxsize=8192)(_inspect_target)
#: Targets longer than this are inspected every time: the cache holds at most 8192 x 1 KiB of them.
CACHED_TARGET = 1024


def target_view(raw: str) -> tuple[str, frozenset[str], tuple[leaks.Leak, ...]]:
    """:func:`_inspect_target`, remembered for short targets: a site's requests repeat (the same searches,
    the same API calls), and decoding and matching are most of the cost of a parsed access line."""
    return _inspect_cached(raw) if len(raw) <= CACHED_TARGET else _inspect_target(raw)


def _message(record: LogRecord) -> str:
    """The event's own words (a JSON log's message, a text line after its prefix): what a logging call wrote."""
    if record.fields:
        for key in ("msg", "message", "event"):
            if isinstance(record.fields.get(key), str):
                return safe_sample(record.fields[key][:80])
    return safe_sample(record.message.split("\n", 1)[0][-80:])


class Analyzer:
    """Feed records with :meth:`record` (and raw counts with :meth:`count_requests`); signals go to ``emit``."""

    def __init__(self, options: LogOptions, emit: Callable[[Signal], None]) -> None:
        self.options = options
        self.allow = AllowList(options)
        self.emit = emit
        limits = options.thresholds
        self.limits = limits
        table = lambda: WindowTable(limits.window, options.max_clients)  # noqa: E731
        self.probing, self.sensitive, self.failures, self.attempts = table(), table(), table(), table()
        self.users_per_client, self.clients_per_user, self.denied, self.limited = table(), table(), table(), table()
        self.requests = MinuteSeries()
        self.app_errors = MinuteSeries()
        self.lines_read = 0
        self.records = Counter()
        self.signals = Counter()
        self.clients = Counter()
        self.zones = Counter()
        self.allowed = Counter()
        self._login = [template_pattern(p) for p in options.login_paths]
        #: Hooks for the metrics exporter: every record, and every request count (parsed or not).
        self.on_record: Callable[[LogRecord], None] | None = None
        self.on_requests: Callable[[int], None] | None = None
        self._judged: set[tuple[str, int]] = set()

    # -- emitting -------------------------------------------------------------------------------------------

    def _signal(self, rule: str, client: str, record: LogRecord, sample: str, detail: tuple = (), count: int = 1,
                since: float | None = None, line: int | None = None) -> None:
        self.signals[rule] += count
        if client:
            self.clients[client] += count
        self.emit(Signal(rule, client, record.time, record.source, line or record.line, safe_sample(sample), detail, count, since))

    def _window(self, table: WindowTable, key: str, value: str, record: LogRecord, rule: str, threshold: int,
                distinct: bool, detail: tuple = (), value_detail: str | None = None) -> None:
        """Count ``value`` in ``key``'s window; past the threshold, signal (the crossing carries the window's lines).

        ``value_detail`` names a detail under which the values seen are kept (the probed paths).
        """
        window = table.add(key, record.time, value, record.line)
        size = window.distinct if distinct else len(window.events)
        if window.alerted:
            self._signal(rule, key, record, value, detail + (((value_detail, value),) if value_detail else ()))
        elif size >= threshold:
            window.alerted = True
            since, _, first_line = window.first
            seen = tuple((value_detail, v) for v in window.values) if value_detail else ()
            self._signal(rule, key, record, value, detail + seen, count=len(window.events), since=since, line=first_line)

    # -- records --------------------------------------------------------------------------------------------

    def count_requests(self, time: float | None, total: int, source: str = "", line: int = 0) -> None:
        """Requests counted without being parsed (the access-log fast path): the error-rate baseline's denominator."""
        self.requests.add(time, total, 0, source, line)
        if self.on_requests is not None:
            self.on_requests(total)

    def record(self, record: LogRecord, counted: bool = False, content: bool = True) -> None:
        """Every detector this record's kind calls for. ``counted``: the fast path already counted the request;
        ``content=False``: the fast path found nothing for the payload, leak and scanner detectors in the line."""
        self.records[record.kind] += 1
        if self.on_record is not None:
            self.on_record(record)
            if record.kind == "access" and not counted and self.on_requests is not None:
                self.on_requests(1)
        if record.kind == "access":
            self._access(record, counted, content)
        elif record.kind == "error":
            self._error_log(record)
        else:
            self._app(record)

    def _is_login(self, path: str) -> bool:
        if self._login:
            return any(p.fullmatch(path) for p in self._login)
        return LOGIN_ROUTE.search(path) is not None

    def _access(self, record: LogRecord, counted: bool, content: bool = True) -> None:
        client = self.allow.client(record.client, record.forwarded_for)
        record.client = client
        status = record.status
        if not counted:
            self.requests.add(record.time, 1, 0, record.source, record.line)
        if status >= 500:
            self.requests.add(record.time, 0, 1, record.source, record.line)
        request = f"{record.method} {record.target}".strip()
        # a percent-encoded letter (``/.%65nv``) hides words from the fast path's patterns: look anyway
        target = self._content(record, client, request) if content or "%" in record.target else ""
        path = record.path
        if self.allow.is_health_check(path, record.user_agent):
            self.allowed["health check"] += 1
            return
        if not self.allow.watches_behaviour_of(client):
            self.allowed["private address"] += 1
            return
        sensitive = scanners.sensitive_file(target.split("?", 1)[0]) if path and target else None
        if sensitive and 200 <= status < 300:
            self._signal("log-sensitive-file-served", client, record, request, (("file", sensitive),))
        elif sensitive:
            self._window(self.sensitive, client, path, record, "log-probing", self.limits.sensitive_files, True, value_detail="path")
        if 400 <= status < 500 and status not in (401, 429) and not self.allow.is_broken_page_asset(path, record.referer):
            self._window(self.probing, client, path, record, "log-probing", self.limits.probing_paths, True, value_detail="path")
        if status == 429:
            self.zones["HTTP 429"] += 1
            self._window(self.limited, client, "HTTP 429", record, "log-rate-limited", max(self.limits.rate_limited, 5), False,
                         (("zone", "HTTP 429"),))
        if record.method in ("POST", "PUT") and self._is_login(path):
            user = _USER_PARAM.search(record.target)
            self._login_attempt(client, user.group(1) if user else record.user, record, failed=status in (401, 403))

    def _content(self, record: LogRecord, client: str, request: str) -> str:
        """Payloads, leaks and scanner agents in an access record; gives back the decoded target."""
        target, in_target, found = target_view(record.target)
        headers = record.user_agent + " " + record.referer
        decoded_headers = normalize(headers) if ("$" in headers or "{" in headers or "%" in headers) else ""
        for rule in payloads.merge(in_target, payloads.header_rules(decoded_headers)) if in_target or decoded_headers else ():
            in_headers = rule in payloads.HEADER_FAMILIES and decoded_headers and rule not in in_target
            self._signal(rule, client, record, f"{request} (headers: {headers.strip()})" if in_headers else request,
                         (("status", str(record.status)), ("request", f"{record.method} {record.path}")))
        found = list(found)
        if leaks.may_hold_header(record.text):
            found += leaks.headers(record.text)
        for leak in found:
            self._signal(leak.rule, client, record, leak.sample, (("what", leak.what),))
        scanner = scanners.scanner_agent(record.user_agent)
        if scanner:
            self._signal("log-scanner", client, record, f"{scanner} ({request})", (("scanner", scanner),))
        return target

    def _login_attempt(self, client: str, user: str, record: LogRecord, failed: bool) -> None:
        if failed:
            self._window(self.failures, client, record.path, record, "log-brute-force", self.limits.auth_failures, False)
        else:
            self._window(self.attempts, client, record.path, record, "log-brute-force", 3 * self.limits.auth_failures, False)
        if user and failed:
            self._window(self.users_per_client, client, user, record, "log-credential-stuffing", self.limits.stuffing_users, True)
            if self.allow.watches_behaviour_of(client):
                window = self.clients_per_user.add(user, record.time, client, record.line)
                if window.distinct >= self.limits.stuffing_users:
                    self._signal("log-credential-stuffing", f"user {user}", record, f"{window.distinct} clients failing for {user}",
                                 count=1 if window.alerted else len(window.events), since=None if window.alerted else window.first[0])
                    window.alerted = True

    def _error_log(self, record: LogRecord) -> None:
        client = record.client
        message = record.message
        if record.level in ("error", "critical") and any(u in message for u in _UPSTREAM):
            self.app_errors.add(record.time, 1, 1, record.source, record.line)
        elif record.time is not None:
            self.app_errors.add(record.time, 1, 0, record.source, record.line)
        if record.target:
            for rule in payloads.detect(normalize(record.target)):
                self._signal(rule, client, record, f"{record.method} {record.target}")
        if not client or not self.allow.watches_behaviour_of(client):
            return
        if record.zone:
            self.zones[record.zone] += 1
            self._window(self.limited, client, record.zone, record, "log-rate-limited", self.limits.rate_limited, False,
                         (("zone", record.zone),))
            return
        if "was not found in" in message or "password mismatch" in message or "authentication failure" in message:
            self._login_attempt(client, record.user, record, failed=True)
            return
        missing = _MISSING_FILE.search(message)
        if missing and record.target:
            self._window(self.probing, client, record.target.split("?", 1)[0], record, "log-probing", self.limits.probing_paths, True)

    def _app(self, record: LogRecord) -> None:
        text = record.message or record.text
        self.app_errors.add(record.time, 1, 1 if record.level in ("error", "critical") else 0, record.source, record.line)
        client = self.allow.client(record.client, record.forwarded_for) if record.client else ""
        driver = app.sql_error(text)
        frame = app.innermost_frame(text) if "\n" in text or "File \"" in text else None
        where = f"{frame.file}:{frame.line} in {frame.function}" if frame else ""
        if driver:
            detail = (("driver", driver),) + ((("frame", where),) if frame else ())
            self._signal("log-sql-error", client or where or record.source, record, text.split("\n", 1)[0] if not frame else text.strip().split("\n")[-1], detail)
        elif app.is_traceback(text):
            last = text.strip().split("\n")[-1] if "Traceback" in text else text.strip().split("\n")[0]
            self._signal("log-stack-trace", where or client or record.source, record, last, (("frame", where),) if frame else ())
        if app.auth_failed(text) and client:
            self._login_attempt(client, record.user, record, failed=True)
        elif app.denied(text) and (client or record.user):
            key = client or f"user {record.user}"
            self._window(self.denied, key, text[:80], record, "log-access-denied", self.limits.denied, False)
        for leak in leaks.headers(record.text) + leaks.personal_data(record.text):
            self._signal(leak.rule, record.source, record, leak.sample, (("what", leak.what), ("message", _message(record))))
        if record.fields:
            for key, value in _secret_fields(record.fields):
                if not leaks.masked(value):
                    self._signal("log-secret", record.source, record, f"{key}: {redact(value, public_format=False)}",
                                 (("what", f"field {key}"), ("message", _message(record))))

    # -- the end of a run -----------------------------------------------------------------------------------

    def finish(self) -> None:
        """Spikes and bursts, judged against the whole log's own baseline."""
        self.judge_minutes()

    def judge_minutes(self, before: float | None = None) -> None:
        """Signal spikes and bursts in minutes not judged yet (only those that ended before ``before``, if given)."""
        limits = self.limits
        last = None if before is None else int(before // 60)
        for minute, counts, baseline in self.requests.ratio_spikes(limits.spike_factor, limits.spike_min_errors):
            if (last is None or minute < last) and self._first_time_judged("spike", minute):
                record = LogRecord(counts.source, counts.first_line, "access", "", time=minute * 60.0)
                ratio = counts.errors / counts.total
                self._signal("log-error-spike", "service", record,
                             f"{counts.errors} of {counts.total} answers were 5xx ({ratio:.0%}; usual minute {baseline:.1%})",
                             count=counts.errors)
        for minute, counts, baseline in self.app_errors.count_bursts(limits.spike_factor, limits.error_burst):
            if (last is None or minute < last) and self._first_time_judged("burst", minute):
                record = LogRecord(counts.source, counts.first_line, "app", "", time=minute * 60.0)
                self._signal("log-error-burst", "service", record,
                             f"{counts.errors} ERROR/CRITICAL events in one minute (usual minute {baseline:g})", count=counts.errors)

    def _first_time_judged(self, kind: str, minute: int) -> bool:
        key = (kind, minute)
        if key in self._judged:
            return False
        self._judged.add(key)
        if len(self._judged) > 2 * self.requests.keep:
            oldest = sorted(self._judged, key=lambda k: k[1])[: self.requests.keep]
            self._judged.difference_update(oldest)
        return True

    def summary(self, top: int = 10) -> dict[str, Any]:
        return {
            "lines_read": self.lines_read,
            "records": dict(sorted(self.records.items())),
            "signals": dict(sorted(self.signals.items())),
            "top_clients": dict(self.clients.most_common(top)),
            "rate_limit_zones": dict(self.zones.most_common(top)),
            "allow_listed": dict(sorted(self.allowed.items())),
        }
