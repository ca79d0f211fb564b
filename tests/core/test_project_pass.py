"""The project pass: summaries flow across files, chains resolve, and an unchanged project is not re-analysed."""

from __future__ import annotations

import pytest

import bastion
from bastion.core.config import Config


def _chain(tmp_path, monkeypatch, more):
    """a -> b -> c (c offers something) and a file that imports only the standard library, plus ``more`` files;
    the probe logs its calls to the returned file."""
    from tests.core import probe_engines as probes

    calls = tmp_path / "calls.log"
    monkeypatch.setattr(probes.ImportingEngine, "calls_file", str(calls))
    src = tmp_path / "src"
    src.mkdir()
    files = {"c.py": "EXPORT_DANGER = 1\n", "b.py": "import c\n", "a.py": "import b\n", "clean.py": "import os\n", **more}
    for name, text in files.items():
        (src / name).write_text(text)
    return calls, src


@pytest.mark.parametrize("jobs", [1, 2])
def test_chain_across_three_modules(tmp_path, probe_engines, monkeypatch, jobs):
    calls, src = _chain(tmp_path, monkeypatch, {"a.py": "x = 1\nimport b\n"})
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
    calls, src = _chain(tmp_path, monkeypatch, {"x.py": "import y\n", "y.py": "import x\nEXPORT_DANGER = 1\n"})
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
