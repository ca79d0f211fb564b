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
