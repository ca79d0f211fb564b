"""Cross-file fixtures: small real projects, each shape as a vulnerable project and its fixed twin.

``tests/fixtures/projects/<engine>/<shape>/{vulnerable,fixed}/`` are scanned
whole (the project pass included) with that engine alone, and every file's
``ruleid:`` / ``ok:`` annotations are checked like the single-file fixtures
(``tests/test_rule_fixtures.py``): a flow across files is one finding, at its
sink, so a caller's line is annotated ``ok:`` where the old engine reported it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import bastion
from bastion.core.config import Config
from bastion.core.model import Severity
from tests.test_rule_fixtures import parse_annotations

PROJECTS = Path(__file__).parent.parent / "fixtures" / "projects"


def projects() -> list[Path]:
    return sorted(p for p in PROJECTS.glob("*/*/*") if p.is_dir())


@pytest.mark.parametrize("project", projects(), ids=lambda p: str(p.relative_to(PROJECTS)))
def test_project_fixture(project: Path) -> None:
    engine = project.relative_to(PROJECTS).parts[0]
    expected: set[tuple[str, str, int]] = set()
    forbidden: set[tuple[str, str, int]] = set()
    for path in sorted(p for p in project.rglob("*") if p.is_file()):
        relpath = path.relative_to(project).as_posix()
        good, bad = parse_annotations(path.read_text(encoding="utf-8").splitlines())
        expected |= {(rule, relpath, line) for rule, line in good}
        forbidden |= {(rule, relpath, line) for rule, line in bad}
    variant = project.name
    assert expected if variant == "vulnerable" else not expected, f"a {variant} project annotates its flows"
    assert forbidden or variant == "vulnerable", "a fixed twin says which lines must stay quiet"
    config = Config(min_severity=Severity.INFO, fail_on=None, report_unused_suppressions=False)
    report = bastion.scan(project, config=config, engines=[engine], use_cache=False, jobs=1)
    rules = {rule for rule, _, _ in expected | forbidden}
    reported = {(f.rule_id, f.location.path, f.location.line) for f in report.findings if f.rule_id in rules}
    problems = [f"{path}:{line}: expected {rule}, not reported" for rule, path, line in sorted(expected - reported)]
    problems += [f"{path}:{line}: {rule} reported on an ok line" for rule, path, line in sorted(forbidden & reported)]
    problems += [f"{path}:{line}: unexpected {rule}" for rule, path, line in sorted(reported - expected - forbidden)]
    assert not problems, "\n".join(problems)
    for finding in report.findings:
        if (finding.rule_id, finding.location.path, finding.location.line) in expected and finding.trace:
            assert finding.trace[-1].location.path == finding.location.path, "the trace ends at the sink"


def test_a_flow_across_files_carries_its_whole_trace_into_sarif() -> None:
    """SARIF: the result at the sink, its code flow starting at the source in the other file; related locations
    name the steps in other files."""
    from bastion.report.sarif import render

    project = PROJECTS / "python" / "singleton" / "vulnerable"
    report = bastion.scan(project, config=Config(fail_on=None), engines=["python"], use_cache=False, jobs=1)
    import json

    [result] = [r for r in json.loads(render(report))["runs"][0]["results"] if r["ruleId"] == "sql-injection"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("app/db.py")
    flow = [loc["location"]["physicalLocation"]["artifactLocation"]["uri"] for loc in
            result["codeFlows"][0]["threadFlows"][0]["locations"]]
    assert flow[0].endswith("app/views.py") and flow[-1].endswith("app/db.py")
    related = [r["physicalLocation"]["artifactLocation"]["uri"] for r in result.get("relatedLocations", ())]
    assert any(uri.endswith("app/views.py") for uri in related)
