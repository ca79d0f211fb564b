"""Markdown for a pull-request comment: counts, findings by severity, details folded, escaped, under GitHub's size limit."""

from __future__ import annotations

from bastion.core.model import Location, Severity
from bastion.report import render
from bastion.report.markdown import MAX_CHARS, code_block, code_span, inline
from bastion.core.result import Report
from tests.report.report_samples import SQL_RULE, empty_report, full_report, sql_finding, unicode_finding


def md(report: Report) -> str:
    return render(report, "markdown")


def test_header_counts_table_and_facts():
    out = md(full_report())
    assert out.startswith("### Bastion: 5 findings (1 critical, 2 high, 1 medium, 1 low)\n")
    assert "❌ 4 at or above the fail-on severity (medium)" in out
    assert "| Severity | Count |\n| --- | ---: |\n| 🔴 critical | 1 |\n| 🟠 high | 2 |" in out
    assert "42 files scanned · by engine: dast 1, python 3, secrets 1 · 2 suppressed · 1 baselined · 4 below threshold" in out


def test_findings_grouped_by_severity_worst_first():
    out = md(full_report())
    sections = ["#### 🔴 Critical (1)", "#### 🟠 High (2)", "#### 🟡 Medium (1)", "#### 🔵 Low (1)"]
    positions = [out.index(s) for s in sections]
    assert positions == sorted(positions)
    assert "#### ⚪" not in out


def test_finding_item_with_location_as_text_and_folded_trace():
    out = md(Report("/r", [sql_finding()], {}))
    assert "- **sql\\-injection** SQL query built from untrusted input at `app/views.py:14:5`" in out
    assert "<details><summary>Code, data flow and fix</summary>" in out
    assert "```python\n      cur.execute(query)\n  ```" in out
    assert "1. **source** `app/views.py:12:12` request\\.args\\['name'\\] read here" in out
    assert out.count("<details>") == out.count("</details>") == 1


def test_endpoint_finding_is_labelled_by_request():
    out = md(full_report())
    assert "`GET http://127.0.0.1:8000/api/search?q=x (parameter q)`" in out


def test_clean_report():
    out = md(empty_report())
    assert out.startswith("### Bastion: no findings")
    assert "✅ 0 at or above the fail-on severity (medium)" in out
    assert "####" not in out


def test_notes_are_folded():
    out = md(full_report())
    assert "<details><summary>3 notes</summary>" in out
    assert "- error\\: broken\\.py\\: syntax error at line 3; file not analysed" in out


def test_untrusted_text_cannot_inject_html_mentions_or_close_fences():
    out = md(Report("/r", [unicode_finding()], {}))
    assert "<script>" not in out and "\\<script\\>" in out
    assert "\\@octocat" in out
    assert "\x1b" not in out and "\\x1b" in out
    assert "<U+202E>" in out and "\u202e" not in out
    fence_lines = [line.strip() for line in out.splitlines() if line.strip().startswith("```")]
    assert fence_lines[0].startswith("````") and fence_lines[0] == "````python"  # longer than the ``` inside


def test_escaping_helpers():
    assert inline("a|b *c* [x](y) <b>") == "a\\|b \\*c\\* \\[x\\]\\(y\\) \\<b\\>"
    assert inline("two\nlines") == "two lines"
    assert code_span("a`b") == "``a`b``"
    assert code_span("`x`") == "`` `x` ``"
    assert code_block("x = ```", "py thon!") == "````python\nx = ```\n````"


def test_huge_report_is_truncated_under_the_comment_limit_keeping_the_worst():
    findings = [SQL_RULE.finding(f"finding number {i} " + "x" * 200, Location(f"src/m{i:05}.py", i + 1),
                                 snippet="cur.execute(q)  " * 20, severity=Severity.CRITICAL if i < 3 else Severity.LOW)
                for i in range(5000)]
    out = md(Report("/r", findings, {}))
    assert len(out) <= MAX_CHARS < 65536
    assert "#### 🔴 Critical (3)" in out
    assert "more findings not shown here" in out
    shown = out.count("- **sql\\-injection**")
    assert 10 < shown < 5000
    assert f"… and {5000 - shown} more findings" in out
    assert out.count("<details>") == out.count("</details>")


def test_a_giant_message_is_clipped_not_allowed_to_eat_the_comment():
    finding = SQL_RULE.finding("m" * 100_000, Location("a.py", 1), snippet="s" * 100_000)
    out = md(Report("/r", [finding], {}))
    assert len(out) < 10_000
    assert "m…" in out


def test_fold_label_names_only_what_it_holds():
    code_only = SQL_RULE.finding("m", Location("a.py", 1), snippet="x", fix_guidance="")
    assert "<details><summary>Code</summary>" in md(Report("/r", [code_only], {}))
    fix_only = SQL_RULE.finding("m", Location("a.py", 1))
    assert "<details><summary>Fix</summary>" in md(Report("/r", [fix_only], {}))
    bare = SQL_RULE.finding("m", Location("a.py", 1), fix_guidance="")
    assert "<details>" not in md(Report("/r", [bare], {}))
