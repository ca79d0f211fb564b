"""The engine end to end on small workspaces, against the real advisory snapshot."""

from __future__ import annotations

import json
from pathlib import Path


from .conftest import run_engine, write_tree


def _vulns(findings, package):
    return [f for f in findings if f.rule_id == "vulnerable-dependency" and f.properties["package"] == package]


def test_seed_example_urllib3_is_found_with_fixed_versions(tmp_path: Path, engine_run) -> None:
    write_tree(tmp_path, {"requirements.txt": "flask==2.3.3\nurllib3==1.25.7\n"})
    findings, notes = engine_run(tmp_path)
    assert [n.message for n in notes if "accepted with allow_stale_db" not in n.message] == []
    found = _vulns(findings, "urllib3")
    smuggling = next(f for f in found if "CVE-2020-26137" in f.properties["advisory"]["aliases"])
    assert smuggling.location.line == 2 and smuggling.snippet == "urllib3==1.25.7"
    assert "CVE-2020-26137" in smuggling.message and "1.25.9" in smuggling.message
    assert smuggling.properties["fixed_versions"] == ["1.25.9"]
    assert smuggling.properties["upgrade_to"] == "1.26.18"
    assert smuggling.fix.edits[0].replacement == "1.26.18"
    assert len({f.fingerprint_key for f in found}) == len(found)


def test_old_requests_is_found_and_the_fixed_twin_is_clean(tmp_path: Path, engine_run) -> None:
    write_tree(tmp_path, {"old/requirements.txt": "requests==2.19.0\n", "new/requirements.txt": "requests==2.32.3\nurllib3==1.26.18\n"})
    findings, _ = engine_run(tmp_path)
    old = _vulns(findings, "requests")
    assert {f.location.path for f in old} == {"old/requirements.txt"}
    redirect = next(f for f in old if "CVE-2018-18074" in f.properties["advisory"]["aliases"])
    assert redirect.properties["fixed_versions"] == ["2.20.0"] and redirect.properties["upgrade_to"] == "2.31.0"
    assert not [f for f in findings if f.location.path.startswith("new/")]


def test_transitive_npm_finding_names_the_chain_and_lockfile_line(tmp_path: Path, engine_run) -> None:
    lock = {"lockfileVersion": 3, "packages": {
        "": {"dependencies": {"mocha": "^5.2.0"}},
        "node_modules/mocha": {"version": "5.2.0", "dependencies": {"lodash": "^4.17.0"}},
        "node_modules/lodash": {"version": "4.17.15"},
    }}
    write_tree(tmp_path, {"package-lock.json": json.dumps(lock, indent=2),
                          "package.json": json.dumps({"dependencies": {"mocha": "^5.2.0"}}, indent=2)})
    findings, _ = engine_run(tmp_path)
    lodash = _vulns(findings, "lodash")
    assert lodash and all(f.location.path == "package-lock.json" for f in lodash)
    text = (tmp_path / "package-lock.json").read_text().splitlines()
    assert '"node_modules/lodash"' in text[lodash[0].location.line - 1]
    assert lodash[0].properties["chain"] == ["mocha"] and "pulled in by mocha" in lodash[0].message
    assert lodash[0].properties["upgrade_to"] == "4.17.21"
    assert lodash[0].fix is None  # transitive: no manifest line to edit


def test_direct_lockfile_finding_edits_the_manifest_range(tmp_path: Path, engine_run) -> None:
    lock = {"lockfileVersion": 3, "packages": {"": {"dependencies": {"lodash": "^4.17.15"}},
                                               "node_modules/lodash": {"version": "4.17.15"}}}
    write_tree(tmp_path, {"package-lock.json": json.dumps(lock, indent=2),
                          "package.json": json.dumps({"dependencies": {"lodash": "^4.17.15"}}, indent=2)})
    findings, _ = engine_run(tmp_path)
    fixes = {f.fix.edits for f in _vulns(findings, "lodash")}
    assert len(fixes) == 1
    (edit,) = next(iter(fixes))
    assert edit.path == "package.json" and edit.replacement == "4.17.21"


def test_manifest_yields_to_the_lockfile_beside_it(tmp_path: Path, engine_run) -> None:
    lock = {"lockfileVersion": 3, "packages": {"": {"dependencies": {"lodash": "4.17.21"}},
                                               "node_modules/lodash": {"version": "4.17.21"}}}
    write_tree(tmp_path, {"package-lock.json": json.dumps(lock), "package.json": json.dumps({"dependencies": {"lodash": "4.17.15"}})})
    findings, _ = engine_run(tmp_path)
    assert not _vulns(findings, "lodash")


def test_unpinned_and_lookalike(tmp_path: Path, engine_run) -> None:
    write_tree(tmp_path, {"requirements.txt": "requests>=2.0\nreqeusts==2.31.0\nnumpy\n"})
    findings, _ = engine_run(tmp_path)
    by_rule = {(f.rule_id, f.location.line) for f in findings}
    assert ("unpinned-dependency", 1) in by_rule and ("unpinned-dependency", 3) in by_rule
    assert ("lookalike-package", 2) in by_rule
    assert not {r for r, line in by_rule if line == 1} - {"unpinned-dependency"}


def test_bad_options_name_the_key(tmp_path: Path) -> None:
    import pytest

    from bastion.core.config import ConfigError

    for options, key in (({"onlin": True}, "onlin"), ({"online": "yes"}, "online"), ({"npm_url": "ftp://x"}, "npm_url")):
        with pytest.raises(ConfigError, match=key):
            run_engine(tmp_path, options)
