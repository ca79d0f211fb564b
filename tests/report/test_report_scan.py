"""End to end: a real scan of a real folder, rendered in every format, each output valid for its consumer."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

import bastion
from bastion.core.engines import all_engine_names, load_engine
from bastion.report import FORMATS, render
from tests.report.report_samples import sarif_validator

VULNERABLE = '''\
import base64
import pickle
import sqlite3

from flask import Flask, request

app = Flask(__name__)


@app.route("/profile")
def profile():
    session = pickle.loads(base64.b64decode(request.cookies["session"]))
    db = sqlite3.connect("app.db")
    return db.execute("SELECT * FROM users WHERE name = '%s'" % session["name"]).fetchall()
'''


def _installed_engines() -> list[str]:
    """The registered engines whose code is importable (engines land one by one)."""
    names = []
    for name in all_engine_names():
        try:
            load_engine(name)
        except ImportError:
            continue
        names.append(name)
    return names


def test_real_scan_renders_in_every_format(tmp_path):
    engines = _installed_engines()
    if not engines:
        pytest.skip("no scanning engine is importable yet")
    (tmp_path / "app.py").write_text(VULNERABLE, encoding="utf-8")
    (tmp_path / "broken.py").write_text("def broken(:\n", encoding="utf-8")
    report = bastion.scan(tmp_path, engines=engines, use_cache=False)
    assert report.findings, "the pickled cookie of the seed article is an acceptance test"
    outputs = {fmt: render(report, fmt) for fmt in FORMATS}
    again = bastion.scan(tmp_path, engines=engines, use_cache=False)
    assert render(again, "sarif") == outputs["sarif"] and render(again, "json") == outputs["json"]

    sarif = json.loads(outputs["sarif"])
    assert [e.message for e in sarif_validator().iter_errors(sarif)] == []
    results = sarif["runs"][0]["results"]
    assert len(results) == len(report.findings)
    for result in results:
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
    assert str(tmp_path) not in outputs["sarif"] and str(tmp_path) not in outputs["json"]
    assert json.loads(outputs["json"])["summary"]["total"] == len(report.findings)
    ET.fromstring(outputs["junit"].encode("utf-8"))
    for finding in report.findings:
        assert f"{finding.location.path}:{finding.location.line}" in outputs["text"]
    for note in report.notes:  # the broken file is reported by name in every human-readable format
        if note.path == "broken.py":
            assert "broken.py" in outputs["text"] and "broken\\.py" in outputs["markdown"]
