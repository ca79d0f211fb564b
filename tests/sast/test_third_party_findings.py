"""Speed work must not change what the Python engine finds: findings on real third-party code, against a record.

The code scanned is Flask, Werkzeug, Jinja2 and Click as the test environment installed them (pinned and
hash-locked in requirements.lock, so the same bytes on every machine). The record,
``expected/third_party_findings.json``, was written by the engine before the performance pass of issue 18
(main at db7dba1), with the package versions it saw. Every finding is compared by rule, file, line, column,
confidence and message, and the trace by its lines.

When a change means to alter findings (a new rule, a precision fix), or requirements.lock moves one of
these packages, rewrite the record and review its diff like code:

    .venv/bin/python tests/sast/test_third_party_findings.py --write
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

RECORD = Path(__file__).resolve().parent / "expected" / "third_party_findings.json"
PACKAGES = {"flask": "flask", "werkzeug": "werkzeug", "jinja2": "jinja2", "click": "click"}  # import name -> distribution


def installed_versions() -> dict[str, str]:
    return {dist: importlib.metadata.version(dist) for dist in PACKAGES.values()}


def copy_packages(target: Path) -> None:
    """Copy the installed packages' sources (a scan reads only what it is given, never site-packages itself)."""
    for module in PACKAGES:
        spec = importlib.util.find_spec(module)
        if spec is None or not spec.submodule_search_locations:
            raise RuntimeError(f"{module} is not installed as a package: run make install")
        source = Path(next(iter(spec.submodule_search_locations)))
        shutil.copytree(source, target / module, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


def findings_of(root: Path) -> list[dict[str, Any]]:
    import bastion
    from bastion.core.config import Config

    config = Config(fail_on=None, jobs=2, file_timeout=600.0)
    report = bastion.scan(root, config=config, engines=["python"], use_cache=False)
    incomplete = [note for note in report.notes if note.kind in ("failure", "error")]
    if incomplete:
        raise RuntimeError(f"the scan was incomplete, its findings cannot be compared: {incomplete[:3]}")
    return sorted(
        ({"rule": f.rule_id, "path": f.location.path, "line": f.location.line, "column": f.location.column,
          "confidence": f.confidence.value, "message": f.message, "trace": [step.location.line for step in f.trace]}
         for f in report.findings),
        key=lambda f: (f["path"], f["line"], f["column"], f["rule"], f["message"]),
    )


def scan_installed() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        copy_packages(root)
        return {"versions": installed_versions(), "findings": findings_of(root)}


@pytest.mark.slow
def test_findings_on_installed_third_party_packages_match_the_record():
    record = json.loads(RECORD.read_text())
    assert installed_versions() == record["versions"], (
        "requirements.lock moved a package this record was made from: rewrite it (see the module docstring)")
    current = scan_installed()
    assert current["findings"], "the scan found nothing: the record would be compared with an empty scan"
    missing = [f for f in record["findings"] if f not in current["findings"]]
    added = [f for f in current["findings"] if f not in record["findings"]]
    assert not missing and not added, f"findings changed: {len(missing)} lost, {len(added)} new; first lost " \
                                      f"{missing[:2]}, first new {added[:2]}"


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: test_third_party_findings.py --write")
    RECORD.parent.mkdir(exist_ok=True)
    RECORD.write_text(json.dumps(scan_installed(), indent=1, sort_keys=True) + "\n")
    print(f"wrote {RECORD}")
