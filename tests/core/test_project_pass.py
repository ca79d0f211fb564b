"""The project pass: summaries flow across files, chains resolve, and an unchanged project is not re-analysed."""

from __future__ import annotations

import pytest

import bastion
from bastion.core.config import Config


@pytest.mark.parametrize("jobs", [1, 2])
def test_chain_across_three_modules(tmp_path, probe_engines, monkeypatch, jobs):
    from tests.core import probe_engines as probes

    calls = tmp_path / "calls.log"
    monkeypatch.setattr(probes.ImportingEngine, "calls_file", str(calls))
    src = tmp_path / "src"
    src.mkdir()
    (src / "c.py").write_text("EXPORT_DANGER = 1\n")
    (src / "b.py").write_text("import c\n")
    (src / "a.py").write_text("x = 1\nimport b\n")
    (src / "clean.py").write_text("import os\n")
    for i in range(6):
        (src / f"filler{i}.py").write_text("y = 2\n")
    config = Config(cache_dir=str(tmp_path / "cache"), fail_on=None)
    report = bastion.scan(src, config=config, engines=["probe_project"], jobs=jobs)
    assert sorted((f.location.path, f.location.line, f.message) for f in report.findings) == [
        ("a.py", 2, "b is dangerous"), ("b.py", 1, "c is dangerous")]

    calls.write_text("")
    again = bastion.scan(src, config=config, engines=["probe_project"], jobs=jobs)
    assert calls.read_text() == "", "an unchanged project was analysed again"
    assert [f.to_dict() for f in again.findings] == [f.to_dict() for f in report.findings]

    (src / "c.py").write_text("SAFE = 1\n")
    fixed = bastion.scan(src, config=config, engines=["probe_project"], jobs=jobs)
    assert fixed.findings == []


@pytest.mark.parametrize("jobs", [1, 2])
def test_each_file_is_analysed_once_in_import_order_and_a_cycle_alone_first(tmp_path, probe_engines, monkeypatch, jobs):
    """The first pass only reads imports; then a file outside a cycle is checked once, after what it imports, with
    the others' summaries only when one of its imports offers something. A cycle's files are checked alone first
    (each needs the other's summary), then again while a summary they import changed: y offers, so x is checked
    knowing it, which makes x offer too, so y is checked knowing x; y's summary is unchanged, the cycle settles."""
    from tests.core import probe_engines as probes

    calls = tmp_path / "calls.log"
    monkeypatch.setattr(probes.ImportingEngine, "calls_file", str(calls))
    src = tmp_path / "src"
    src.mkdir()
    (src / "c.py").write_text("EXPORT_DANGER = 1\n")
    (src / "b.py").write_text("import c\n")
    (src / "a.py").write_text("import b\n")
    (src / "clean.py").write_text("import os\n")
    (src / "x.py").write_text("import y\n")
    (src / "y.py").write_text("import x\nEXPORT_DANGER = 1\n")
    for i in range(4):
        (src / f"filler{i}.py").write_text("y = 2\n")
    report = bastion.scan(src, config=Config(fail_on=None), engines=["probe_project"], jobs=jobs, use_cache=False)
    assert sorted((f.location.path, f.message) for f in report.findings) == [
        ("a.py", "b is dangerous"), ("b.py", "c is dangerous"), ("x.py", "y is dangerous"), ("y.py", "x is dangerous")]
    checks = [line.split()[1:] for line in calls.read_text().splitlines() if line.startswith("check ")]
    order = [path for path, _ in checks]
    assert sorted(checks) == sorted(
        [["a.py", "True"], ["b.py", "True"], ["c.py", "False"], ["clean.py", "False"],
         ["x.py", "False"], ["y.py", "False"], ["x.py", "True"], ["y.py", "True"]]
        + [[f"filler{i}.py", "False"] for i in range(4)])
    assert order.index("c.py") < order.index("b.py") < order.index("a.py"), "bottom-up: each after what it imports"
