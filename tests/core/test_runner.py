"""The scan spine end to end through the public API, with probe engines standing in for real analyses."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import bastion
from bastion.core.config import Config
from bastion.core.model import Severity


def make_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    return root


def quiet_config(**kw) -> Config:
    kw.setdefault("fail_on", Severity.MEDIUM)
    return Config(**kw)


def test_findings_sorted_with_stable_fingerprints(tmp_path, probe_engines):
    make_tree(tmp_path, {"b.py": "x\nDANGER\n", "a.py": "DANGER = 1\n"})
    report = bastion.scan(tmp_path, config=quiet_config(), use_cache=False, jobs=1)
    assert [(f.location.path, f.location.line) for f in report.findings] == [("a.py", 1), ("b.py", 2)]
    assert report.exit_code == 1
    before = {f.fingerprint for f in report.findings}
    (tmp_path / "b.py").write_text("# a new first line\n\nx\nDANGER\n")
    moved = bastion.scan(tmp_path, config=quiet_config(), use_cache=False, jobs=1)
    assert {f.fingerprint for f in moved.findings} == before
    assert [f.location.line for f in moved.findings if f.location.path == "b.py"] == [4]


def test_parallel_equals_serial(tmp_path, probe_engines):
    make_tree(tmp_path, {f"pkg/m{i}.py": "ok\n" * i + "DANGER\n" for i in range(40)})
    serial = bastion.scan(tmp_path, config=quiet_config(), use_cache=False, jobs=1)
    parallel = bastion.scan(tmp_path, config=quiet_config(), use_cache=False, jobs=2)
    assert [f.to_dict() for f in serial.findings] == [f.to_dict() for f in parallel.findings]
    assert len(parallel.findings) == 40


def test_unchanged_rescan_comes_from_cache(tmp_path, probe_engines, monkeypatch):
    from tests.core import probe_engines as probes

    calls = tmp_path / "calls.log"
    monkeypatch.setattr(probes.MarkerEngine, "calls_file", str(calls))
    tree = make_tree(tmp_path / "src", {f"m{i}.py": f"DANGER {i}\n" for i in range(10)})
    config = quiet_config(cache_dir=str(tmp_path / "cache"))
    first = bastion.scan(tree, config=config, jobs=2)
    assert len(calls.read_text().splitlines()) == 10
    second = bastion.scan(tree, config=config, jobs=2)
    assert len(calls.read_text().splitlines()) == 10, "an unchanged rescan analysed files again"
    assert second.stats.files_from_cache == 10
    assert [f.to_dict() for f in first.findings] == [f.to_dict() for f in second.findings]
    (tree / "m3.py").write_text("changed DANGER\n")
    third = bastion.scan(tree, config=config, jobs=1)
    assert len(calls.read_text().splitlines()) == 11
    assert third.stats.files_from_cache == 9


@pytest.mark.parametrize("jobs", [1, 2])
def test_misbehaving_files_become_notes(tmp_path, probe_engines, jobs):
    files = {"hang.py": "HANG_FOREVER", "deep.py": "RECURSE_FOREVER", "boom.py": "RAISE_NOW", "hog.py": "EAT_MEMORY"}
    if jobs == 2:
        files["kill.py"] = "KILL_WORKER"
    files.update({f"good{i}.py": "DANGER\n" for i in range(6)})
    make_tree(tmp_path, files)
    report = bastion.scan(tmp_path, config=quiet_config(file_timeout=1.0, file_memory_mb=512), use_cache=False,
                          jobs=jobs)
    assert len(report.findings) == 6
    messages = "\n".join(n.message for n in report.notes)
    assert "hang.py: runner analysis exceeded the 1s time budget" in messages
    assert "deep.py: probe nesting too deep" in messages
    assert "boom.py: probe failed: ValueError: probe failure" in messages
    assert "hog.py: probe exceeded the memory budget" in messages
    if jobs == 2:
        assert "kill.py: analysis crashed its worker process" in messages
    # Bastion's own failures (a check raised, a worker died) fail the scan closed; the input's shape (a budget,
    # nesting too deep) is an incomplete analysis that only --strict turns into exit 2.
    failed = {n.path for n in report.notes if n.kind == "failure"}
    assert failed == ({"boom.py", "kill.py"} if jobs == 2 else {"boom.py"})
    assert report.exit_code == 2


def test_an_input_that_stops_the_analysis_fails_only_a_strict_scan(tmp_path, probe_engines):
    make_tree(tmp_path, {"deep.py": "RECURSE_FOREVER", "good.py": "x = 1\n"})
    lenient = bastion.scan(tmp_path, config=quiet_config(), use_cache=False, jobs=1)
    strict = bastion.scan(tmp_path, config=quiet_config(strict=True), use_cache=False, jobs=1)
    assert not lenient.failures() and lenient.incomplete_paths() == ["deep.py"]
    assert (lenient.exit_code, strict.exit_code) == (0, 2)


def test_workspace_engine_runs_once(tmp_path, probe_engines):
    make_tree(tmp_path, {"a.txt": "x", "b.txt": "y"})
    report = bastion.scan(tmp_path, config=quiet_config(), use_cache=False, jobs=1)
    assert any(n.message == "workspace saw 2 paths" for n in report.notes)


def test_stdin_buffer(tmp_path, probe_engines):
    report = bastion.scan(stdin_text="safe\nDANGER\n", stdin_filename="editor/buffer.py", config=quiet_config(),
                          use_cache=False)
    assert [(f.location.path, f.location.line) for f in report.findings] == [("editor/buffer.py", 2)]


def test_explicit_file_list_honours_excludes(tmp_path, probe_engines, monkeypatch):
    make_tree(tmp_path, {"a.py": "DANGER\n", "gen/b.py": "DANGER\n"})
    monkeypatch.chdir(tmp_path)
    report = bastion.scan(["a.py", "gen/b.py"], config=quiet_config(exclude=["gen/"]), use_cache=False)
    assert [f.location.path for f in report.findings] == ["a.py"]
    assert report.stats.skipped["excluded"] == 1


def test_hostile_inputs_finish(tmp_path, probe_engines):
    make_tree(tmp_path, {
        "huge.py": b"x = 1\n" * (6 * 1024 * 1024),
        "binary.py": b"\x7fELF\x00\x00\x01" * 100,
        "bundle.js": b"var a=1;" * 5000,
        "latin.py": "caf\xe9 = 'DANGER'\n".encode("latin-1"),
        "nested.py": "[" * 5000 + "]" * 5000,
    })
    os.mkfifo(tmp_path / "pipe.py")
    report = bastion.scan(tmp_path, config=quiet_config(), use_cache=False, jobs=1)
    assert [f.location.path for f in report.findings] == ["latin.py"]
    skipped = report.stats.skipped
    assert skipped["too-large"] == 1 and skipped["binary"] == 1 and skipped["minified"] == 1
    assert skipped["not-a-regular-file"] == 1


def test_folders_and_files_named_together(tmp_path, probe_engines, monkeypatch):
    make_tree(tmp_path, {".github/workflows/ci.yml": "DANGER\n", "src/a.py": "DANGER\n", "top.py": "DANGER\n"})
    monkeypatch.chdir(tmp_path)
    report = bastion.scan([".github", "top.py"], config=quiet_config(), use_cache=False)
    assert [f.location.path for f in report.findings] == [".github/workflows/ci.yml", "top.py"]


def test_a_dying_worker_costs_only_its_own_file(tmp_path, probe_engines):
    """Files keep streaming to a fresh pool after a worker dies; only the killer is lost."""
    files = {f"pkg{i % 7}/m{i}.py": "ok\nDANGER\n" for i in range(120)}
    files["pkg3/kill.py"] = "KILL_WORKER"
    make_tree(tmp_path, files)
    report = bastion.scan(tmp_path, config=quiet_config(), use_cache=False, jobs=2)
    assert len(report.findings) == 120
    lost = [n for n in report.notes if n.reason == "crash"]
    assert [n.path for n in lost] == ["pkg3/kill.py"]
    assert report.stats.files_scanned == 120


def test_streamed_walk_counts_like_a_finished_one(tmp_path, probe_engines):
    from bastion.pipeline.workspace import discover

    make_tree(tmp_path, {".gitignore": "build/\n", "build/x.py": "DANGER\n", "node_modules/y.js": "DANGER\n",
                         "big.bin": b"\x00" * 10, **{f"src/m{i}.py": "DANGER\n" for i in range(30)}})
    report = bastion.scan(tmp_path, config=quiet_config(), use_cache=False, jobs=2)
    walked = discover(tmp_path)
    assert len(report.findings) == 30
    for reason, count in walked.skipped.items():
        assert report.stats.skipped[reason] == count
    assert report.stats.skipped["binary"] == 1


def test_damaged_cache_entry_is_analysed_again(tmp_path, probe_engines):
    import sqlite3

    tree = make_tree(tmp_path / "src", {f"m{i}.py": f"DANGER {i}\n" for i in range(8)})
    config = quiet_config(cache_dir=str(tmp_path / "cache"))
    first = bastion.scan(tree, config=config, jobs=2)
    with sqlite3.connect(tmp_path / "cache" / "results.sqlite") as db:
        db.execute("UPDATE results_v3 SET payload = x'00ff00ff'")
    second = bastion.scan(tree, config=config, jobs=2)
    assert second.stats.files_from_cache == 0
    assert [f.to_dict() for f in first.findings] == [f.to_dict() for f in second.findings]
    assert bastion.scan(tree, config=config, jobs=2).stats.files_from_cache == 8


def test_small_scans_hold_both_budgets_and_leave_this_process_alone(tmp_path, probe_engines):
    """Fewer than five files run in one worker process: the time and memory budgets hold there, and this
    process's own limit is untouched."""
    import resource

    make_tree(tmp_path, {"hog.py": "EAT_MEMORY", "hang.py": "HANG_FOREVER", "good.py": "DANGER\n"})
    before = resource.getrlimit(resource.RLIMIT_AS)
    report = bastion.scan(tmp_path, config=quiet_config(file_timeout=1.0, file_memory_mb=512), use_cache=False)
    assert resource.getrlimit(resource.RLIMIT_AS) == before
    messages = "\n".join(n.message for n in report.notes)
    assert "hog.py: probe exceeded the memory budget" in messages
    assert "hang.py: runner analysis exceeded the 1s time budget" in messages
    assert [f.location.path for f in report.findings] == ["good.py"]


def test_a_scan_from_another_thread_still_holds_the_budgets(tmp_path, probe_engines):
    """A server's thread cannot take signals or a process-wide limit: its files go to a worker process."""
    import threading

    make_tree(tmp_path, {"hog.py": "EAT_MEMORY", "good.py": "DANGER\n"})
    reports = []
    thread = threading.Thread(target=lambda: reports.append(
        bastion.scan(tmp_path, config=quiet_config(file_memory_mb=512), use_cache=False, jobs=1)))
    thread.start()
    thread.join()
    messages = "\n".join(n.message for n in reports[0].notes)
    assert "hog.py: probe exceeded the memory budget" in messages
