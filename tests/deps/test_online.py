"""--online: registry answers from a server of the test's own on 127.0.0.1."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

from bastion.deps import registry

from .conftest import run_engine, write_tree

OLD = "2015-01-01T00:00:00Z"


def _pypi(versions: dict[str, dict]) -> dict:
    return {"info": {}, "releases": {v: [{"upload_time_iso_8601": meta.get("time", OLD), "yanked": meta.get("yanked", False),
                                          "yanked_reason": meta.get("reason")}] for v, meta in versions.items()}}


def test_missing_new_and_yanked_packages_are_flagged(tmp_path: Path, registry_server) -> None:
    recent = (datetime.now(timezone.utc) - timedelta(days=3)).isoformat().replace("+00:00", "Z")
    registry_server.files.update({
        "/pypi/requests/json": _pypi({"2.31.0": {}, "2.32.0": {"yanked": True, "reason": "broke proxies"}}),
        "/pypi/fresh-helper/json": _pypi({"0.0.1": {"time": recent}}),
        "/left-pad": {"versions": {"1.3.0": {"deprecated": "use String.prototype.padStart()"}, "1.2.0": {}},
                      "time": {"created": OLD, "1.3.0": OLD}},
        "/@scope%2Fpkg": {"versions": {"1.0.0": {}}, "time": {"created": OLD}},
    })
    write_tree(tmp_path, {
        "requirements.txt": "requests==2.31.0\nrequests-auth-magic==1.0.0\nfresh-helper==0.0.1\n",
        "py2/requirements.txt": "requests==2.32.0\nrequests==9.9.9\n",
        "package.json": json.dumps({"dependencies": {"left-pad": "1.3.0", "@scope/pkg": "1.0.0"}}, indent=2),
    })
    findings, notes = run_engine(tmp_path, {"online": True, "pypi_url": registry_server.url, "npm_url": registry_server.url,
                                            "lookalike": False, "db_dir": str(tmp_path / "no-db"),
                                            "allow_stale_db": True})
    got = {(f.rule_id, f.location.path, f.location.line) for f in findings}
    assert ("nonexistent-package", "requirements.txt", 2) in got
    assert ("recently-published-package", "requirements.txt", 3) in got
    assert ("yanked-dependency", "py2/requirements.txt", 1) in got
    assert ("nonexistent-package", "py2/requirements.txt", 2) in got
    assert ("yanked-dependency", "package.json", 3) in got
    assert not [g for g in got if g[1] == "requirements.txt" and g[2] == 1]
    assert not [g for g in got if g[1] == "package.json" and g[2] == 4]
    yanked = next(f for f in findings if f.rule_id == "yanked-dependency" and f.location.path == "package.json")
    assert "padStart" in yanked.message
    assert not [n for n in notes if "registry" in n.message]


def test_registry_errors_are_notes_not_findings(tmp_path: Path, registry_server) -> None:
    registry_server.files["/pypi/requests/json"] = b"<html>not json"
    write_tree(tmp_path, {"requirements.txt": "requests==2.31.0\n"})
    findings, notes = run_engine(tmp_path, {"online": True, "pypi_url": registry_server.url, "db_dir": str(tmp_path / "x"),
                                            "allow_stale_db": True})
    assert not [f for f in findings if f.rule_id != "vulnerable-dependency"]
    assert any("registry check of requests failed" in n.message for n in notes)


def test_registry_parsers_tolerate_odd_answers() -> None:
    assert registry.parse_pypi([], "1.0").error
    assert registry.parse_npm({"versions": []}, "1.0").error
    info = registry.parse_npm({"versions": {"1.0.0": "odd"}, "time": {"created": "not a time"}}, "1.0.0")
    assert info.version_exists and info.first_published is None and info.yanked is None
