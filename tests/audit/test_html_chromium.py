"""The review map and the findings page in headless Chromium: the route table, a filter, the sort, the graph, a screenshot."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.chromium import Dom, dump_dom, screenshot

from bastion.audit.assess import audit
from bastion.audit.html import render

FIXTURES = Path(__file__).parent.parent / "fixtures" / "audit"


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    result = audit(FIXTURES / "review_app", use_cache=False)
    target = tmp_path_factory.mktemp("html") / "review.html"
    target.write_text(render(result), encoding="utf-8")
    return target, result


def _rows(dom: Dom) -> list[dict[str, str]]:
    return [a for a in dom.select("tr") if a.get("id", "").startswith("e")]


def test_route_table_lists_every_entry_point_and_nothing_loads_from_the_network(page, tmp_path):
    path, result = page
    text = path.read_text()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", text), "the page must not fetch anything"
    assert "Content-Security-Policy" in text
    dom = Dom(dump_dom(path, "", tmp_path / "profile"))
    rows = _rows(dom)
    assert len(rows) == len(result.app_map.entry_points) == 13
    assert not [r for r in rows if "hidden" in r.get("class", "")]
    assert dom.texts["shown"] == "13"


def test_filter_by_text_and_kind_hides_rows_and_dims_the_graph(page, tmp_path):
    path, _ = page
    dom = Dom(dump_dom(path, "text=export&kind=http", tmp_path / "profile"))
    visible_rows = [r for r in _rows(dom) if "hidden" not in r.get("class", "")]
    visible = [r["id"] for r in visible_rows]
    assert dom.texts["shown"] == "2"
    assert sorted(r["data-path"] for r in visible_rows) == ["/export", "/export-closed"]
    nodes = dom.select("g", **{"class": "node"}) + [a for a in dom.select("g") if "node" in a.get("class", "")]
    assert nodes, "the graph has entry-point nodes"
    for node in {n["data-entry"]: n for n in nodes}.values():
        assert ("dim" in node.get("class", "")) == (node["data-entry"] not in visible)


def test_missing_control_filter(page, tmp_path):
    path, result = page
    dom = Dom(dump_dom(path, "missing=auth", tmp_path / "profile"))
    visible = [r for r in _rows(dom) if "hidden" not in r.get("class", "")]
    expected = [e for e in result.app_map.entry_points if not e.guard_kinds() & {"authentication", "authorization"}]
    assert len(visible) == len(expected) == 4


def test_sort_by_path_from_the_address(page, tmp_path):
    path, _ = page
    dom = Dom(dump_dom(path, "sort=path", tmp_path / "profile"))
    paths = [r["data-path"] for r in _rows(dom)]
    assert paths == sorted(paths)
    dom = Dom(dump_dom(path, "sort=risk&order=desc", tmp_path / "profile"))
    scores = [int(r["data-risk"]) for r in _rows(dom)]
    assert scores == sorted(scores, reverse=True)


def test_graph_draws_one_edge_per_entry_and_category(page, tmp_path):
    path, result = page
    dom = Dom(dump_dom(path, "", tmp_path / "profile"))
    edges = [a for a in dom.select("path") if "edge" in a.get("class", "")]
    assert len(edges) == sum(len(e.categories()) for e in result.app_map.entry_points)
    categories = {a.get("class") for a in dom.select("g") if a.get("class") == "category"}
    assert categories == {"category"}


def test_screenshot(page, tmp_path):
    path, _ = page
    shot = screenshot(path, tmp_path / "review-map.png", tmp_path / "profile")
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


def test_scan_html_report_filters_findings_by_severity(tmp_path):
    from bastion import scan
    from bastion.report import render as render_report

    report = scan(FIXTURES / "review_app", engines=["python", "javascript"], use_cache=False, fail_on=None)
    page = tmp_path / "findings.html"
    page.write_text(render_report(report, "html"), encoding="utf-8")
    dom = Dom(dump_dom(page, "severity=high", tmp_path / "profile"))
    rows = [a for a in dom.select("tr") if a.get("id", "").startswith("f")]
    visible = [r for r in rows if "hidden" not in r.get("class", "")]
    assert len(rows) == len(report.findings) > 0
    assert sorted(r["data-severity"] for r in visible) == ["high"] * sum(1 for f in report.findings if f.severity.value == "high")
