"""The taint evaluation benchmark: its corpus is still the frozen one, its labels are whole, and its judge scores as documented.

The corpus itself lives in benchmarks/taint_eval/corpus/ (never here); these
tests read its labels and MANIFEST and exercise the scoring functions of
benchmarks/taint_eval/run.py on findings built in the test.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "taint_eval"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"taint_eval_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve their module by name
    sys.path.insert(0, str(BENCH))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCH))
    return module


digest = _load("digest")
run = _load("run")


def test_frozen_corpus_matches_its_manifest(capsys):
    assert digest.main(["--part", "corpus"]) == 0, capsys.readouterr().err


def test_a_changed_file_breaks_the_digest(tmp_path, monkeypatch):
    part = tmp_path / "corpus"
    (part / "case-a").mkdir(parents=True)
    (part / "case-a" / "app.py").write_text("x = 1\n")
    monkeypatch.setattr(digest, "HERE", tmp_path)
    monkeypatch.setattr(digest, "MANIFESTS", {"corpus": tmp_path / "MANIFEST", "corpus2": tmp_path / "MANIFEST2"})
    assert digest.main(["--write"]) == 0
    assert digest.main([]) == 0
    (part / "case-a" / "app.py").write_text("x = 2\n")
    assert digest.main([]) == 1
    (part / "case-a" / "app.py").write_text("x = 1\n")
    (part / "case-a" / "extra.py").write_text("")
    assert digest.main([]) == 1


def test_labels_are_whole():
    cases = run.load_cases(BENCH / "corpus")
    ids = {c.id for c in cases}
    assert len(cases) >= 300
    for case in cases:
        assert case.kind in {"vulnerable", "fixed", "trap"} and case.cwe
        if case.kind == "vulnerable":
            assert case.id + "-fix" in ids and case.sinks
            for file, line in case.sinks:
                lines = (BENCH / "corpus" / case.id / file).read_text().splitlines()
                assert 1 <= line <= len(lines) and lines[line - 1].strip(), (case.id, file, line)
        else:
            assert not case.sinks
    assert sum(c.kind == "trap" for c in cases) >= 100
    assert len({c.cwe[0] for c in cases}) >= 20


def _finding(line: int, cwe: set[int], severity: str = "high", file: str = "app.py", end: int | None = None):
    return run.Finding(file, line, end or line, "rule", frozenset(cwe), severity, "message (confidence medium)")


VULN = run.Case("py-x-01", "python", "vulnerable", (89,), "sql-injection", (("app.py", 10),))
TRAP = run.Case("py-trap-900", "python", "trap", (22,), "path-traversal", ())


@pytest.mark.parametrize(
    ("finding", "at_sink", "in_file"),
    [
        (_finding(10, {89}), True, True),
        (_finding(8, {89}, end=11), True, True),  # a multi-line finding covering the sink line
        (_finding(12, {89}), False, True),  # the right weakness on another line
        (_finding(10, {564}), True, True),  # a CWE of the same family
        (_finding(10, {78}), False, False),  # another weakness on the sink line
        (_finding(10, {89}, file="other.py"), False, True),
    ],
)
def test_a_vulnerable_case_is_found_only_at_its_sink_with_a_matching_cwe(finding, at_sink, in_file):
    verdict = run.judge(VULN, [finding], None)
    assert (verdict.at_sink, verdict.cwe_in_file, verdict.any_finding, verdict.class_alarm) == (at_sink, in_file, True, False)


@pytest.mark.parametrize(
    ("finding", "alarm"),
    [(_finding(3, {22}), True), (_finding(3, {23}, "medium"), True), (_finding(3, {22}, "low"), False), (_finding(3, {89}), False)],
)
def test_a_trap_alarms_on_its_class_at_medium_or_above(finding, alarm):
    verdict = run.judge(TRAP, [finding], None)
    assert verdict.class_alarm is alarm and verdict.any_finding


def test_tally_counts_a_pair_only_when_the_flaw_is_found_and_its_twin_is_quiet():
    twin = run.Case("py-x-01-fix", "python", "fixed", (89,), "sql-injection", ())
    verdicts = {"py-x-01": run.judge(VULN, [_finding(10, {89})], None), "py-x-01-fix": run.judge(twin, [_finding(10, {89}, "medium")], None)}
    t = run.tally(verdicts.values(), verdicts)
    assert (t["at_sink"], t["fixed_alarm"], t["pairs"], t["pairs_separated"]) == (1, 1, 1, 0)
    verdicts["py-x-01-fix"] = run.judge(twin, [_finding(10, {89}, "low")], None)
    assert run.tally(verdicts.values(), verdicts)["pairs_separated"] == 1


def test_confidence_filter_drops_the_findings_below_it():
    low = run.Finding("app.py", 10, 10, "sql-injection", frozenset({89}), "critical", "query (confidence low)")
    verdicts = {"py-x-01": run.judge(VULN, [low], None)}
    assert verdicts["py-x-01"].at_sink
    assert not run.with_confidence(verdicts, frozenset({"medium", "high"}))["py-x-01"].at_sink
