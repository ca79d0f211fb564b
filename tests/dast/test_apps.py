"""End to end on the deliberately vulnerable test APIs: every planted flaw confirmed, nothing on the fixed twins.

The FastAPI pair runs in the default suite (a few seconds); Flask and Express spend time on timing and ReDoS
proofs and are marked slow (they still run in CI).
"""

from __future__ import annotations

import json

import pytest

import bastion
from bastion.report import render
from tests.dast.apps import AUTH, running
from tests.dast.expected import EXPECTED, finding_key

SLOW = {"flask", "express"}


def _scan(app: str, url: str, **options):
    auth = AUTH[app]
    return bastion.dast_scan(url, auth=str(auth) if auth else None, delay=1.5, **options)


#: The check families whose proof is a measured delay (slow, fast, slow): the only ones a busy machine can blur.
TIMED = ["timing", "redos"]


@pytest.mark.parametrize("app", [pytest.param(a, marks=pytest.mark.slow) if a in SLOW else a for a in EXPECTED])
def test_vulnerable_app_every_planted_flaw_is_confirmed(app):
    with running(app) as url:
        report = _scan(app, url)
        found = {finding_key(f) for f in report.findings}
        if EXPECTED[app] - found:
            # a delay measured while the machine is loaded may not separate slow from fast: the timed checks get
            # one more measurement; any flaw another check should prove stays missing
            found |= {finding_key(f) for f in _scan(app, url, checks=TIMED).findings}
    missing = EXPECTED[app] - found
    assert not missing, f"missed: {sorted(missing, key=str)}"
    assert report.exit_code == 1
    assert report.summary.operations_covered == report.summary.operations_total
    for finding in report.findings:  # the evidence is there, and no credential leaks into it
        assert finding.endpoint.request and finding.endpoint.response
        for secret in ("alice-pass-1", "bob-pass-2", "root-pass-4", "carol-pass-3"):
            assert secret not in finding.endpoint.request + finding.endpoint.response


@pytest.mark.parametrize("app", [pytest.param(a, marks=pytest.mark.slow) if a in SLOW else a for a in EXPECTED])
def test_fixed_twin_has_no_findings(app):
    with running(app, fixed=True) as url:
        report = _scan(app, url)
    assert [(f.rule_id, f.message) for f in report.findings] == []
    assert report.exit_code == 0


def test_every_dast_rule_is_planted_in_some_app():
    from bastion.dast.rules import dast_rules

    planted = {rule for flaws in EXPECTED.values() for rule, _, _ in flaws}
    assert set(dast_rules()) - planted == {"dast-tls"}  # TLS has its own HTTPS servers (test_tls.py)


def test_findings_render_in_every_format_and_sarif_is_valid():
    from tests.report.report_samples import SCHEMA_PATH
    import jsonschema

    with running("fastapi") as url:
        report = bastion.dast_scan(url, auth=str(AUTH["fastapi"]), checks=["access", "jwt"])
    assert report.findings
    for fmt in ("text", "json", "markdown", "junit"):
        assert "bola" in render(report, fmt).replace("\\", "")
    from tests.report.test_report_json_schema import _errors as json_report_errors

    assert json_report_errors(render(report, "json")) == []
    assert json.loads(render(report, "json"))["summary"]["stats"]["dast"]["operations_covered"] == 8
    sarif = json.loads(render(report, "sarif"))
    schema = json.loads(SCHEMA_PATH.read_text())
    assert list(jsonschema.Draft7Validator(schema).iter_errors(sarif)) == []
    result = next(r for r in sarif["runs"][0]["results"] if r["ruleId"] == "dast-bola")
    assert result["webRequest"]["method"] in ("GET", "PUT")
    assert "Authorization: <redacted>" in result["properties"]["request"]
