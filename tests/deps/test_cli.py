"""The deps, sbom and db commands as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from bastion.interfaces.cli import main

from .conftest import write_tree

REQUIREMENTS = "flask==3.0.3\nurllib3==1.25.7  # pinned by the assistant\nrequests == 2.19.0 ; python_version >= '3.8'\n"
PACKAGE_JSON = json.dumps({"name": "app", "dependencies": {"lodash": "^4.17.15", "express": "^4.19.2"}}, indent=2) + "\n"
PACKAGE_LOCK = json.dumps({"lockfileVersion": 3, "packages": {
    "": {"dependencies": {"lodash": "^4.17.15", "express": "^4.19.2"}},
    "node_modules/lodash": {"version": "4.17.15"},
    "node_modules/express": {"version": "4.19.2"},
}}, indent=2)


def test_deps_fix_dry_run_prints_a_patch_and_fix_writes_it(tmp_path: Path, db_env: Path, capsys) -> None:
    """The convention of ``scan --fix``: ``--fix --dry-run`` previews, ``--fix`` writes."""
    write_tree(tmp_path, {"requirements.txt": REQUIREMENTS, "web/package.json": PACKAGE_JSON, "web/package-lock.json": PACKAGE_LOCK})
    assert main(["deps", str(tmp_path), "--fix", "--dry-run"]) == 0
    diff = capsys.readouterr().out
    assert "-urllib3==1.25.7  # pinned by the assistant" in diff and "+urllib3==1.26.18  # pinned by the assistant" in diff
    assert "+requests == 2.31.0 ; python_version >= '3.8'" in diff
    assert '+    "lodash": "^4.17.21",' in diff
    assert (tmp_path / "requirements.txt").read_text() == REQUIREMENTS  # a diff only
    assert main(["deps", str(tmp_path), "--fix"]) == 1  # written; the lockfile's findings are still reported
    assert "urllib3==1.26.18" in (tmp_path / "requirements.txt").read_text()
    assert '"lodash": "^4.17.21"' in (tmp_path / "web/package.json").read_text()
    assert main(["deps", str(tmp_path / "web"), "-f", "json"]) == 1  # the lockfile still says 4.17.15 until reinstalled


def test_deps_reports_and_exits_by_threshold(tmp_path: Path, db_env: Path, capsys) -> None:
    write_tree(tmp_path, {"requirements.txt": "urllib3==1.25.7\n"})
    assert main(["deps", str(tmp_path), "-f", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    ids = {f["properties"]["advisory"]["id"] for f in report["findings"]}
    assert "PYSEC-2020-148" in ids
    write_tree(tmp_path, {"requirements.txt": "urllib3==1.26.18\n"})
    assert main(["deps", str(tmp_path)]) == 0


def test_dry_run_without_fix_is_a_usage_error(tmp_path: Path, capsys) -> None:
    assert main(["deps", str(tmp_path), "--dry-run"]) == 2
    assert "--dry-run goes with --fix" in capsys.readouterr().err


def test_sbom_is_valid_cyclonedx_with_vulnerabilities(tmp_path: Path, db_env: Path, monkeypatch) -> None:
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    write_tree(tmp_path / "app", {"requirements.txt": REQUIREMENTS, "web/package.json": PACKAGE_JSON,
                                  "web/package-lock.json": PACKAGE_LOCK})
    out = tmp_path / "sbom.json"
    assert main(["sbom", str(tmp_path / "app"), "-o", str(out)]) == 0
    text = out.read_text()
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
    bom = json.loads(text)
    purls = {c["purl"] for c in bom["components"]}
    assert {"pkg:pypi/urllib3@1.25.7", "pkg:npm/lodash@4.17.15", "pkg:npm/express@4.19.2"} <= purls
    assert "pkg:npm/lodash@^4.17.15" not in purls
    smuggling = next(v for v in bom["vulnerabilities"] if v["id"] == "PYSEC-2020-148")
    assert smuggling["affects"] == [{"ref": "pkg:pypi/urllib3@1.25.7"}]
    again = tmp_path / "again.json"
    assert main(["sbom", str(tmp_path / "app"), "-o", str(again)]) == 0
    assert again.read_text() == text  # deterministic with SOURCE_DATE_EPOCH


def test_db_status_json(db_env: Path, capsys) -> None:
    assert main(["db", "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["records"] == 3137 and status["by_ecosystem"] == {"PyPI": 2661, "npm": 476}


BROKEN_LOCKFILES = {
    "package-lock.json": '{"lockfileVersion": 3, "packages": {',
    "poetry.lock": '[[package]]\nname = "flask"\nversion = ',
    "requirements.txt": "-r missing-requirements.txt\n",
}


def test_deps_and_sbom_on_a_broken_lockfile_exit_2(tmp_path: Path, db_env: Path, capsys) -> None:
    """An unreadable lockfile is no clean audit: both commands exit 2 and name the file."""
    for name, text in BROKEN_LOCKFILES.items():
        root = tmp_path / name.replace(".", "-")
        write_tree(root, {name: text, "package.json": PACKAGE_JSON})
        assert main(["deps", str(root)]) == 2, name
        assert f"cannot read {name}" in capsys.readouterr().out
        out = root / "sbom.json"
        assert main(["sbom", str(root), "-o", str(out)]) == 2, name
        assert f"cannot read {name}" in capsys.readouterr().err
        assert not out.exists()


def test_one_fix_text_per_package_not_per_advisory(tmp_path: Path, db_env: Path, capsys) -> None:
    write_tree(tmp_path, {"requirements.txt": "urllib3==1.25.7\n"})
    assert main(["deps", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert out.count("vulnerable-dependency") >= 3  # several advisories of one package
    assert out.count("Upgrade urllib3 to 1.26.18") == 1
    assert "the smallest version that fixes" not in out.split("Upgrade urllib3", 1)[0]
