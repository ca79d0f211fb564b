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


def _summary(name, imports=(), calls=(), functions=None, complete=True):
    return {"name": name, "imports": list(imports), "calls": list(calls), "calls_complete": complete,
            "provides": True, "functions": functions or {}}


def _pass(summaries, rounds_results):
    """Run the project pass over ``summaries`` (path -> summary) with an executor answering from ``rounds_results``
    (one dict per round: path -> new summary, default unchanged); return the paths each round analysed."""
    from bastion.pipeline.project_pass import run_project_pass
    from bastion.pipeline.worker import Task

    payloads = {path: {"findings": [], "notes": [], "summaries": {"e": s}} for path, s in summaries.items()}
    tasks = {path: Task(path, path) for path in summaries}
    seen: list[list[str]] = []

    def execute(batch, by_name):
        round_results = rounds_results[len(seen)] if len(seen) < len(rounds_results) else {}
        seen.append(sorted(t.relpath for t in batch))
        return {t.relpath: {"findings": [], "notes": [],
                            "summaries": {"e": round_results.get(t.relpath, payloads[t.relpath]["summaries"]["e"])}}
                for t in batch}

    run_project_pass("e", tasks, payloads, execute)
    return seen


def test_only_files_calling_a_providers_function_are_analysed_again():
    db = _summary("db", functions={"db.query": {"sinks": [1]}, "db.helper": {"sinks": []}})
    summaries = {
        "db.py": db,
        "views.py": _summary("views", imports=["db"], calls=["db.query", "os.path.join"]),
        "models.py": _summary("models", imports=["db"], calls=["os.getcwd"]),  # imports db, calls none of it
        "cut.py": _summary("cut", imports=["db"], calls=["x"], complete=False),  # its list was cut: any may matter
        "other.py": _summary("other", calls=["db.query"]),  # does not import db
    }
    assert _pass(summaries, []) == [["cut.py", "views.py"]]


def test_a_later_round_follows_only_the_functions_whose_summary_changed():
    summaries = {
        "db.py": _summary("db", functions={"db.query": {"v": 1}}),
        "service.py": _summary("service", imports=["db"], calls=["db.query"],
                               functions={"service.find": {"v": 1}, "service.count": {"v": 1}}),
        "views.py": _summary("views", imports=["service"], calls=["service.find"]),
        "admin.py": _summary("admin", imports=["service"], calls=["service.count"]),
    }
    changed_service = dict(summaries["service.py"], functions={"service.find": {"v": 2}, "service.count": {"v": 1}})
    seen = _pass(summaries, [{"service.py": changed_service}])
    # Round one: everything calling a provider's function; round two: only the caller of the changed service.find.
    assert seen == [["admin.py", "service.py", "views.py"], ["views.py"]]
