"""The terminal report: grouped by file, code frames and flows, a summary, and no way for scanned text to drive the terminal."""

from __future__ import annotations

from bastion.report import render
from bastion.core.result import Report
from tests.report.report_samples import full_report, sql_finding, unicode_finding


def text(report: Report, **style) -> str:
    return render(report, "text", **style)


def test_findings_grouped_by_file_in_order_then_summary():
    out = text(full_report())
    headers = ["app/session.py  (1 finding)", "app/views.py  (1 finding)", "config/settings.py  (1 finding)",
               "http://127.0.0.1:8000/api/search?q=x  (1 finding)", "src/路径 with space/検証.py  (1 finding)"]
    positions = [out.index(h) for h in headers]
    assert positions == sorted(positions)
    assert out.index("Summary") > positions[-1]


def test_a_finding_shows_badge_rule_location_message_frame_flow_and_fix():
    out = text(Report("/r", [sql_finding()], {}))
    assert " HIGH  sql-injection  SQL query built from untrusted input" in out
    assert "app/views.py:14:5" in out
    assert "request.args['name'] reaches cur.execute() without parameters" in out
    assert "> 14 │     cur.execute(query)" in out
    assert "data flow:" in out
    flow = [line.split() for line in out.splitlines() if line.strip().startswith(("source", "step", "sink"))]
    assert [(row[0], row[1]) for row in flow] == [("source", "app/views.py:12:12"), ("step", "app/views.py:13:5"),
                                                 ("sink", "app/views.py:14:5")]
    assert "fix: Pass values as query parameters" in out
    assert "confidence high · CWE-89 · A03:2021-Injection · auto-fix available" in out


def test_summary_counts_by_severity_and_engine_files_filters_and_notes():
    out = text(full_report())
    summary = out[out.index("Summary"):]
    assert "Bastion: 5 findings (1 critical, 2 high, 1 medium, 1 low)" in summary
    assert "4 at or above the fail-on severity (medium)" in summary
    rows = [line.split()[:2] for line in summary.splitlines()]
    for row in [["critical", "1"], ["high", "2"], ["medium", "1"], ["low", "1"], ["info", "0"]]:
        assert row in rows
    assert "Files: 42 scanned, 30 from cache, 3 skipped (binary 1, too_large 2)" in summary
    assert "Not shown: 2 suppressed, 1 baselined, 4 below threshold" in summary
    assert "error: broken.py: syntax error at line 3; file not analysed" in summary
    assert summary.index("error:") < summary.index("warning:") < summary.index("skipped:")


def test_by_engine_table_lists_each_engine_with_its_count():
    out = text(full_report())
    lines = out[out.index("By engine"):].splitlines()
    cells = [line.split() for line in lines]
    assert any(c[-2:] == ["dast", "1"] for c in cells)
    assert any(c[-2:] == ["python", "3"] for c in cells)
    assert any(c[-2:] == ["secrets", "1"] for c in cells)


def test_empty_report_says_so_plainly():
    out = text(Report("/r", [], {}))
    assert out.startswith("No findings.")
    assert "Bastion: no findings" in out
    assert "fail-on" not in out


def test_no_colour_unless_asked_and_colour_when_asked():
    assert "\x1b" not in text(full_report())
    coloured = text(full_report(), color=True)
    assert "\x1b[" in coloured
    assert "\x1b[2J" not in coloured  # the escape inside the message is shown, not sent


def test_scanned_text_cannot_drive_the_terminal_or_inject_markup():
    out = text(Report("/r", [unicode_finding()], {}))
    assert "\\x1b[2J\\x07" in out and "\\x1b[31mred\\x00" in out
    assert "<U+202E>" in out and "\u202e" not in out  # bidi override made visible
    assert "[bold]x[/bold]" in out  # rich markup in a title stays text
    assert "\r" not in out
    out.encode("utf-8")


def test_width_is_respected():
    long = sql_finding()
    out = text(Report("/r", [long], {}), width=60)
    assert max(len(line) for line in out.splitlines()) <= 60
    assert "\n".join(line.rstrip() for line in out.splitlines()) == out.rstrip("\n")  # no trailing blanks


def test_environment_does_not_change_the_output(monkeypatch):
    plain = text(full_report())
    monkeypatch.setenv("COLUMNS", "33")
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TERM", "xterm-256color")
    assert text(full_report()) == plain
