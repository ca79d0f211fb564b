"""`bastion db update` on hostile OSV records (issue 14, point 8): a record nested thousands deep or carrying
a lone surrogate is counted and skipped; the records around it are imported and the update succeeds."""

from __future__ import annotations

import json
from pathlib import Path

from bastion.interfaces.cli import main

GOOD = {"id": "GHSA-good-0000-0000", "modified": "2024-01-01T00:00:00Z", "summary": "a real flaw",
        "affected": [{"package": {"ecosystem": "PyPI", "name": "demo-pkg"}, "versions": ["1.0"]}]}


def _with(record: dict, extra: str) -> str:
    """The record's JSON with raw JSON text added as one more member (what json.dumps cannot write)."""
    return json.dumps(record)[:-1] + ", " + extra + "}"


def test_bad_records_are_counted_and_skipped(tmp_path: Path, capsys, monkeypatch) -> None:
    source = tmp_path / "osv"
    source.mkdir()
    (source / "a-good.json").write_text(json.dumps(GOOD))
    (source / "b-deep.json").write_text(_with(dict(GOOD, id="GHSA-deep-0000-0000"),
                                              '"database_specific": ' + "[" * 100_000 + "]" * 100_000))
    (source / "c-surrogate.json").write_text(_with(dict(GOOD, id="GHSA-surr-0000-0000"), r'"details": "x \ud800 y"'))
    (source / "d-surrogate-id.json").write_text(json.dumps(GOOD).replace("GHSA-good-0000-0000", r"GHSA-\udc00"))
    (source / "e-deep-but-parsable.json").write_text(_with(dict(GOOD, id="GHSA-mid-0000-0000"),
                                                           '"database_specific": ' + "[" * 900 + "]" * 900))
    assert main(["db", "update", "--from", str(source), "--db-dir", str(tmp_path / "db")]) == 0
    captured = capsys.readouterr()
    assert "2 added" in captured.out and "2 invalid records skipped" in captured.out
    assert "1 unreadable files skipped" in captured.out and "b-deep.json" in captured.err
    assert "Offline" not in captured.err and "internal error" not in captured.err
    # the database answers for the good record, and a report prints it
    project = tmp_path / "project"
    project.mkdir()
    (project / "requirements.txt").write_text("demo-pkg==1.0\n")
    monkeypatch.setenv("BASTION_DB_DIR", str(tmp_path / "db"))
    assert main(["deps", str(project), "-f", "json", "--allow-stale-db"]) == 1  # the records are from 2024
    ids = {f["properties"]["advisory"]["id"] for f in json.loads(capsys.readouterr().out)["findings"]}
    assert ids == {"GHSA-good-0000-0000", "GHSA-mid-0000-0000"}
