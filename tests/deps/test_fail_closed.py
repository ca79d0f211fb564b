"""The dependency audit fails closed: no advisory database, or one whose newest advisory is older than the
allowed age, stops every entry point with exit 2, unless the user accepts it (flag or config key).

Real data throughout: the shared OSV snapshot (its newest advisory is from 2024-10-10, so it is out of
date by any default), and a real record made fresh by giving it today's ``modified``.
"""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest

import bastion
from bastion.interfaces.cli import main
from bastion.deps import db, importer

from .conftest import SHARED_OSV, write_tree

VULNERABLE = {"requirements.txt": "urllib3==1.25.7\n"}


@pytest.fixture(autouse=True)
def no_opt_out(monkeypatch) -> None:
    monkeypatch.delenv("BASTION_ALLOW_STALE_DB", raising=False)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write_tree(tmp_path / "ws", VULNERABLE)
    return tmp_path / "ws"


@pytest.fixture
def fresh_db(tmp_path: Path) -> Path:
    """The urllib3 advisory, as if modified today."""
    record = json.loads((SHARED_OSV / "PyPI" / "PYSEC-2020-148.json").read_text())
    record["modified"] = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    source = tmp_path / "fresh-records"
    source.mkdir()
    (source / "PYSEC-2020-148.json").write_text(json.dumps(record))
    importer.import_path(source, tmp_path / "fresh-db")
    return tmp_path / "fresh-db"


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("command", [["scan", "--no-progress", "--no-cache"], ["deps"], ["sbom"]])
def test_no_database_stops_every_command(command, project: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("BASTION_DB_DIR", str(tmp_path / "nothing-here"))
    code, out, err = _run(capsys, *command, str(project))
    assert code == 2 and "no advisory database at" in err and "bastion db update" in err and "Traceback" not in err
    assert "--allow-stale-db" in err


@pytest.mark.parametrize("command", [["scan", "--no-progress", "--no-cache"], ["deps"], ["sbom"]])
def test_an_out_of_date_database_stops_every_command(command, project: Path, osv_db: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("BASTION_DB_DIR", str(osv_db))
    code, _, err = _run(capsys, *command, str(project))
    assert code == 2 and "out of date" in err and "2024-10-10" in err


def test_opting_out_by_flag_or_config_gives_a_warning_and_the_findings(project: Path, osv_db: Path, monkeypatch,
                                                                       capsys) -> None:
    monkeypatch.setenv("BASTION_DB_DIR", str(osv_db))
    code, out, _ = _run(capsys, "deps", str(project), "-f", "json", "--allow-stale-db")
    report = json.loads(out)
    assert code == 1 and any(f["rule_id"] == "vulnerable-dependency" for f in report["findings"])
    assert any("out of date" in n["message"] and "accepted" in n["message"] for n in report["notes"])
    (project / "bastion.toml").write_text("[deps]\nallow_stale_db = true\n")
    assert _run(capsys, "scan", str(project), "--no-progress", "--no-cache", "--engine", "deps")[0] == 1
    (project / "bastion.toml").write_text("[deps]\nmax_db_age_days = 100000\n")
    assert _run(capsys, "deps", str(project))[0] == 1
    assert _run(capsys, "deps", str(project), "--max-db-age", "100000")[0] == 1
    (project / "bastion.toml").unlink()
    assert _run(capsys, "deps", str(project), "--max-db-age", "0")[0] == 2


def test_a_fresh_database_passes_without_a_warning(project: Path, fresh_db: Path, monkeypatch) -> None:
    monkeypatch.setenv("BASTION_DB_DIR", str(fresh_db))
    report = bastion.deps(project)
    assert [f.rule_id for f in report.findings] == ["vulnerable-dependency"]
    assert not [n for n in report.notes if "database" in n.message]


def test_nothing_to_audit_needs_no_database(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("BASTION_DB_DIR", str(tmp_path / "nothing-here"))
    write_tree(tmp_path / "ws", {"app.py": "print('hi')\n"})
    assert bastion.deps(tmp_path / "ws").exit_code == 0


def test_one_default_location_for_every_entry_point(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.delenv("BASTION_DB_DIR", raising=False)
    monkeypatch.setenv("BASTION_CACHE_DIR", str(tmp_path / "cache"))
    assert db.default_dir() == tmp_path / "cache" / "osv"
    code, out, _ = _run(capsys, "db", "status", "--json")
    assert json.loads(out)["path"] == str(tmp_path / "cache" / "osv" / "advisories.sqlite")
    root = Path(__file__).resolve().parents[2]
    assert "BASTION_DB_DIR" not in (root / "Makefile").read_text(), "make must fill the default location"
    for workflow in (root / "action.yml", root / "src" / "bastion" / "templates" / "github-workflow.yml"):
        text = workflow.read_text()
        assert "bastion db update" in text and "~/.cache/bastion/osv" in text, workflow


def test_db_status_shows_location_data_age_ecosystems_and_counts(osv_db: Path, capsys) -> None:
    code, out, _ = _run(capsys, "db", "status", "--db-dir", str(osv_db))
    assert code == 0
    assert f"database:   {osv_db / 'advisories.sqlite'}" in out
    assert "ecosystems: PyPI, npm" in out and "records:    3137 (2661 PyPI, 476 npm)" in out
    assert "newest advisory modified 2024-10-10T17:22:00Z" in out and "packages:   " in out
    status = json.loads(_run(capsys, "db", "status", "--db-dir", str(osv_db), "--json")[1])
    assert status["newest_modified"] == "2024-10-10T17:22:00Z" and status["age_days"] > 700
    assert status["packages"] == sum(status["packages_by_ecosystem"].values()) > 1000


def test_db_update_counts_each_kind_and_names_skipped_records(tmp_path: Path, capsys) -> None:
    source = tmp_path / "in"
    shutil.copytree(SHARED_OSV / "npm", source / "npm")
    shutil.copy(SHARED_OSV / "exports" / "npm-all.zip", source)
    deep = {"id": "BAD-DEEP", "modified": "2024-01-01T00:00:00Z", "affected": [{"package": {"name": "x"}, "ranges": [{"events": [{"introduced": "0"}]}], "versions": [[[["deep"]]]]}]}
    (source / "bad-deep.json").write_text(json.dumps(deep))
    (source / "bad-type.json").write_text(json.dumps({"id": "BAD-TYPE", "modified": 5}))
    (source / "bad-surrogate.json").write_text('{"id": "BAD-\\ud800", "modified": "2024-01-01T00:00:00Z"}')
    code, out, err = _run(capsys, "db", "update", "--from", str(source), "--db-dir", str(tmp_path / "db"))
    assert code == 0
    assert "476 added, 0 updated, 0 unchanged, 476 duplicate copies, 3 invalid records skipped" in out
    assert "bad-deep.json: BAD-DEEP" in err and "bad-type.json: BAD-TYPE" in err and "bad-surrogate.json" in err
    code, out, _ = _run(capsys, "db", "update", "--from", str(source / "npm"), "--db-dir", str(tmp_path / "db"))
    assert "0 added, 0 updated, 476 unchanged, 0 duplicate copies" in out


def test_the_same_instant_written_differently_is_unchanged_and_a_newer_one_updates(tmp_path: Path) -> None:
    record = json.loads((SHARED_OSV / "PyPI" / "PYSEC-2020-148.json").read_text())
    source = tmp_path / "in"
    source.mkdir()
    path = source / "r.json"
    path.write_text(json.dumps(record | {"modified": "2024-05-01T10:00:00.000Z"}))
    assert importer.import_path(source, tmp_path / "db")[0].added == 1
    path.write_text(json.dumps(record | {"modified": "2024-05-01T10:00:00Z"}))  # later as text, same instant
    assert importer.import_path(source, tmp_path / "db")[0].unchanged == 1
    path.write_text(json.dumps(record | {"modified": "2024-05-01T12:00:00+01:00"}))  # 11:00 UTC: newer
    assert importer.import_path(source, tmp_path / "db")[0].updated == 1
