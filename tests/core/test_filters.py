"""Suppressions, baseline and diff mode, with real git repositories."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

import bastion
from bastion.core.config import Config
from bastion.pipeline.filters import parse_suppressions


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t", *args],
                   check=True, capture_output=True)


def test_suppression_forms():
    lines = [
        "x = DANGER  # bastion: ignore[marker]",
        "# bastion: ignore[marker, other] -- reviewed: constant input",
        "",
        "y = DANGER",
        "z = DANGER  // bastion: ignore",
        "w = 1  # bastion: ignore[marker] reason: legacy",
    ]
    found = parse_suppressions(lines)
    assert [(s.line, s.target_line, s.rules, s.reason) for s in found] == [
        (1, 1, ("marker",), ""),
        (2, 4, ("marker", "other"), "reviewed: constant input"),
        (5, 5, None, ""),
        (6, 6, ("marker",), "legacy"),
    ]


def test_suppressions_inside_strings_are_text():
    lines = [
        'example = "os.system(cmd)  # bastion: ignore[command-injection]"',
        "doc = 'run it // bastion: ignore'",
        "Write `# bastion: ignore[rule-id]` on the line.",
        'x = "it\'s"  # bastion: ignore[marker] -- escaped quote before a real comment',
        "# `bastion: ignore` in backticks is documentation",
    ]
    assert [(s.line, s.rules) for s in parse_suppressions(lines)] == [(4, ("marker",))]


@given(st.lists(st.text(max_size=80), max_size=30))
@settings(max_examples=200, deadline=None)
def test_suppression_parser_never_crashes(lines):
    for item in parse_suppressions(lines):
        assert 1 <= item.line <= len(lines)


def test_suppressions_unused_and_reasons(tmp_path, probe_engines):
    (tmp_path / "a.py").write_text(
        "DANGER  # bastion: ignore[marker]\n"
        "ok = 1  # bastion: ignore[marker]\n"
        "DANGER  # bastion: ignore[other-rule]\n"
    )
    report = bastion.scan(tmp_path, config=Config(), use_cache=False)
    assert [(f.rule_id, f.location.line) for f in report.findings] == [
        ("unused-suppression", 2), ("marker", 3), ("unused-suppression", 3)]
    assert report.suppressed == 1
    strict = bastion.scan(tmp_path, config=Config(require_suppression_reason=True), use_cache=False)
    assert ("suppression-without-reason", 1) in {(f.rule_id, f.location.line) for f in strict.findings}
    assert ("marker", 1) in {(f.rule_id, f.location.line) for f in strict.findings}


def test_baseline_hides_known_findings_only(tmp_path, probe_engines):
    (tmp_path / "a.py").write_text("DANGER one\n")
    first = bastion.scan(tmp_path, config=Config(), use_cache=False)
    from bastion.pipeline.filters import write_baseline

    baseline = tmp_path / "baseline.json"
    write_baseline(first.findings, baseline)
    (tmp_path / "a.py").write_text("# moved down\nDANGER one\nDANGER two\n")
    second = bastion.scan(tmp_path, config=Config(), use_cache=False, baseline=baseline)
    assert [f.snippet for f in second.findings] == ["DANGER two"]
    assert second.baselined == 1
    baseline.write_text("[1, 2]")
    with pytest.raises(bastion.ScanError, match="not a Bastion baseline"):
        bastion.scan(tmp_path, config=Config(), use_cache=False, baseline=baseline)


def test_diff_reports_changed_lines_only(tmp_path, probe_engines):
    repo = tmp_path / "repo"
    (repo / "sub").mkdir(parents=True)
    (repo / "sub" / "old.py").write_text("DANGER old\nsafe\n")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "base")
    (repo / "sub" / "old.py").write_text("DANGER old\nDANGER changed\n")
    (repo / "sub" / "new.py").write_text("DANGER new\n")
    report = bastion.scan(repo, config=Config(), use_cache=False, diff="HEAD")
    assert sorted((f.location.path, f.location.line) for f in report.findings) == [("sub/new.py", 1), ("sub/old.py", 2)]
    assert report.outside_diff == 1
    below = bastion.scan(repo / "sub", config=Config(), use_cache=False, diff="HEAD")
    assert sorted((f.location.path, f.location.line) for f in below.findings) == [("new.py", 1), ("old.py", 2)]
    with pytest.raises(bastion.ScanError, match="--diff"):
        bastion.scan(repo, config=Config(), use_cache=False, diff="no-such-ref")


def test_thresholds_and_severity_overrides(tmp_path, probe_engines):
    from bastion.core.model import Severity

    (tmp_path / "a.py").write_text("DANGER\n")
    lowered = bastion.scan(tmp_path, config=Config(severity_overrides={"marker": Severity.LOW}), use_cache=False)
    assert lowered.findings[0].severity is Severity.LOW and lowered.exit_code == 0
    hidden = bastion.scan(tmp_path, config=Config(min_severity=Severity.CRITICAL), use_cache=False)
    assert hidden.findings == [] and hidden.below_threshold == 1
    disabled = bastion.scan(tmp_path, config=Config(disable_rules=["marker"]), use_cache=False)
    assert disabled.findings == []


def test_cross_engine_duplicates_collapse_but_one_engines_findings_stay():
    from bastion.interfaces.api import deduplicate
    from bastion.core.model import Confidence, Finding, Location, Severity

    def make(engine: str, message: str, severity: Severity) -> Finding:
        return Finding("debug-mode-enabled", "t", message, severity, Confidence.HIGH, Location("s.py", 2), engine)

    same_line = [make("python", "a", Severity.HIGH), make("config_audit", "b", Severity.MEDIUM),
                 make("config_audit", "c", Severity.MEDIUM)]
    assert [f.engine for f in deduplicate(same_line)] == ["python"]
    advisories = [make("deps", "advisory 1", Severity.HIGH), make("deps", "advisory 2", Severity.LOW)]
    assert len(deduplicate(advisories)) == 2


@given(st.one_of(st.binary(max_size=300), st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20).map(lambda value: json.dumps({"findings": value}).encode())))
@settings(max_examples=150, deadline=None)
def test_baseline_loader_never_crashes(tmp_path_factory, data):
    from bastion.pipeline.filters import load_baseline

    path = tmp_path_factory.mktemp("baseline") / "b.json"
    path.write_bytes(data)
    try:
        assert isinstance(load_baseline(path), set)
    except ValueError as exc:
        assert "baseline" in str(exc)
