"""The advisory database and OSV matching, on the real records of shared/osv."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

from bastion.interfaces.cli import main
from bastion.deps import db, importer, osv, vulns

from .conftest import SHARED_OSV


def _record(path: str) -> dict:
    return json.loads((SHARED_OSV / path).read_text(encoding="utf-8"))


def test_status_counts_match_the_snapshot(osv_db: Path) -> None:
    manifest = json.loads((SHARED_OSV / "manifest.json").read_text())
    state = db.status(osv_db)
    assert state.exists and state.source and "local:" in state.source
    assert state.by_ecosystem == manifest["records_by_ecosystem"]
    assert state.records == sum(manifest["records_by_ecosystem"].values())


def test_the_same_advisory_seen_twice_is_stored_once(osv_db: Path) -> None:
    # the folder holds every record twice: as JSON files and inside the export zips
    with db.AdvisoryDB(osv_db) as database:
        (count,) = database._conn.execute("SELECT COUNT(*) FROM advisory WHERE id = 'PYSEC-2020-148'").fetchone()
    assert count == 1


def test_update_is_incremental(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    shutil.copy(SHARED_OSV / "PyPI" / "PYSEC-2020-148.json", source)
    first, _ = importer.import_path(source, tmp_path / "db")
    again, _ = importer.import_path(source, tmp_path / "db")
    assert (first.added, again.added, again.unchanged) == (1, 0, 1)
    newer = _record("PyPI/PYSEC-2020-148.json") | {"modified": "2030-01-01T00:00:00Z"}
    (source / "PYSEC-2020-148.json").write_text(json.dumps(newer))
    third, _ = importer.import_path(source, tmp_path / "db")
    assert third.updated == 1


def test_bad_input_is_skipped_and_counted(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    shutil.copy(SHARED_OSV / "npm" / "NSWG-ECO-9.json", source)
    (source / "broken.json").write_text("{not json")
    (source / "notes.txt").write_text("ignored")
    (source / "bad.zip").write_bytes(b"PK\x03\x04 truncated")
    (source / "no-id.json").write_text(json.dumps({"modified": "2020-01-01T00:00:00Z"}))
    stats, reader = importer.import_path(source, tmp_path / "db")
    assert stats.added == 1 and stats.invalid == 1
    assert reader.unreadable == 2


def test_zip_export_imports_like_the_folder(tmp_path: Path) -> None:
    stats, _ = importer.import_path(SHARED_OSV / "exports" / "npm-all.zip", tmp_path / "db")
    assert stats.added == 476 and stats.invalid == 0


def test_db_update_from_missing_path_is_a_usage_error(tmp_path: Path, capsys) -> None:
    assert main(["db", "update", "--from", str(tmp_path / "nope"), "--db-dir", str(tmp_path)]) == 2
    assert "no such file" in capsys.readouterr().err


def test_db_status_of_missing_database_says_how_to_fix(tmp_path: Path, capsys) -> None:
    assert main(["db", "status", "--db-dir", str(tmp_path)]) == 1
    assert "bastion db update" in capsys.readouterr().out


def test_db_update_downloads_exports_from_the_configured_location(tmp_path: Path, registry_server) -> None:
    registry_server.files["/PyPI/all.zip"] = (SHARED_OSV / "exports" / "PyPI-all.zip").read_bytes()
    buffer = tmp_path / "npm.zip"
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("NSWG-ECO-9.json", (SHARED_OSV / "npm" / "NSWG-ECO-9.json").read_text())
    registry_server.files["/npm/all.zip"] = buffer.read_bytes()
    stats, _ = importer.download(tmp_path / "db", base_url=registry_server.url)
    assert stats.added == 2661 + 1
    assert db.status(tmp_path / "db").source == registry_server.url


def test_ranges_versions_and_withdrawn() -> None:
    record = _record("PyPI/PYSEC-2020-148.json")
    assert osv.affects(record, "PyPI", "urllib3", "1.25.7")
    assert osv.affects(record, "PyPI", "urllib3", "1.25.8")
    assert not osv.affects(record, "PyPI", "urllib3", "1.25.9")
    assert not osv.affects(record, "PyPI", "requests", "1.25.7")
    withdrawn = _record("PyPI/PYSEC-2019-144.json")
    assert withdrawn["withdrawn"] and not osv.affects(withdrawn, "PyPI", "arrayfire", "3.0.20150914")


def test_semver_ranges_and_last_affected() -> None:
    lodash = _record("npm/GHSA-29mw-wpgm-hmr9.json")
    assert osv.affects(lodash, "npm", "lodash", "4.17.20")
    assert not osv.affects(lodash, "npm", "lodash", "4.17.21")
    assert osv.affects(lodash, "npm", "lodash.trim", "4.5.1")
    assert not osv.affects(lodash, "npm", "lodash.trim", "4.5.2")
    fancy = _record("npm/NSWG-ECO-9.json")
    assert osv.affects(fancy, "npm", "fancy-server", "0.1.3") and not osv.affects(fancy, "npm", "fancy-server", "0.1.4")


def test_aliases_merge_and_smallest_upgrade(osv_db: Path) -> None:
    with db.AdvisoryDB(osv_db) as database:
        records = database.advisories("PyPI", "urllib3")
    found = vulns.find(records, "PyPI", "urllib3", "1.25.7")
    smuggling = next(v for v in found if "CVE-2020-26137" in v.aliases)
    assert smuggling.id == "PYSEC-2020-148" and "GHSA-wqvq-5m8c-6g24" in smuggling.aliases
    assert smuggling.fixed == ("1.25.9",)
    assert len({v.id for v in found}) == len(found)
    assert vulns.smallest_upgrade(records, "PyPI", "urllib3", "1.25.7") == "1.26.18"
    assert vulns.find(records, "PyPI", "urllib3", "1.26.18") == []


def test_cvss_severity_comes_from_the_record() -> None:
    info = osv.severity_of(_record("npm/NSWG-ECO-9.json"))
    assert (info.level, info.score) == ("medium", 5.3)
    assert osv.severity_of(_record("npm/GHSA-29mw-wpgm-hmr9.json")).level == "medium"  # the database's own rating
