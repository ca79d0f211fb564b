"""The mypyc-compiled build of the SAST hot path finds exactly what pure Python finds.

``make test-compiled`` (run by .ci/run) builds the compiled package into a venv of its own and runs the SAST
tests there with ``BASTION_EXPECT_COMPILED=1``; this module then scans a real tree twice in subprocesses, once
with the compiled modules and once with the pure-Python ones of this checkout's ``src`` (PYTHONPATH comes before
site-packages), and compares the whole JSON findings, traces included. The tree: Flask, Werkzeug, Jinja2 and
Click as the environment installed them (hash-locked), the Python and JavaScript rule fixtures and the
cross-file fixture projects (JavaScript has no installed third-party tree in CI).

In the default pure install (``make test``) the comparison has nothing to compare and is skipped; the build
must then say it is pure Python.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bastion.sast import build
from tests.sast.test_third_party_findings import copy_packages

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src"
FIXTURES = ROOT / "tests" / "fixtures"
EXPECT_COMPILED = os.environ.get("BASTION_EXPECT_COMPILED") == "1"
COMPILED = "compiled with mypyc"

#: Scans argv[1] with both SAST engines and prints the build and the JSON report's findings and notes.
_SCAN = r"""
import json, sys
from bastion.interfaces.cli import main
from bastion.sast.build import build_name
code = main(["scan", sys.argv[1], "--engine", "python", "--engine", "javascript", "--no-cache", "-j", "2",
             "--no-progress", "--fail-on", "never", "-q", "-f", "json", "-o", sys.argv[2]])
report = json.loads(open(sys.argv[2]).read())
print(json.dumps({"build": build_name(), "code": code, "findings": report["findings"], "notes": report["notes"]}))
"""


def test_the_running_build_is_the_one_expected():
    """``make test`` runs the pure editable install, ``make test-compiled`` the compiled one: never a mix."""
    assert build.build_name() == (COMPILED if EXPECT_COMPILED else "pure Python")


def test_every_compiled_module_has_its_python_source():
    """The pure fallback is the same modules: each one compiled exists as a .py file of the package."""
    for name in build.COMPILED_MODULES:
        assert (SRC / (name.replace(".", "/") + ".py")).is_file(), name


def test_the_version_names_the_build():
    done = subprocess.run([sys.executable, "-m", "bastion", "--version"], capture_output=True, text=True, check=True)
    assert done.stdout.strip().endswith(f"(SAST: {build.build_name()})")


def _scan(tree: Path, output: Path, pure: bool) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["XDG_CACHE_HOME"] = str(output.parent / "xdg-cache")
    if pure:
        env["PYTHONPATH"] = str(SRC)
    done = subprocess.run([sys.executable, "-c", _SCAN, str(tree), str(output)], env=env, cwd=output.parent,
                          capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_compiled_and_pure_builds_find_the_same_on_real_code(tmp_path):
    if build.build_name() != COMPILED:
        if EXPECT_COMPILED:
            pytest.fail(f"BASTION_EXPECT_COMPILED=1 but the build is {build.build_name()}")
        pytest.skip("compares the compiled build with pure Python: run by make test-compiled")
    tree = tmp_path / "tree"
    copy_packages(tree)
    for name in ("python", "javascript", "projects"):
        shutil.copytree(FIXTURES / name, tree / f"rule_fixtures_{name}")
    compiled = _scan(tree, tmp_path / "compiled.json", pure=False)
    pure = _scan(tree, tmp_path / "pure.json", pure=True)
    assert (compiled["build"], pure["build"]) == (COMPILED, "pure Python")
    assert compiled["notes"] == pure["notes"]
    assert not [note for note in pure["notes"] if note.get("kind") == "error"], pure["notes"][:3]
    engines = {finding["engine"] for finding in pure["findings"]}
    assert engines == {"python", "javascript"} and len(pure["findings"]) > 500
    missing = [f for f in pure["findings"] if f not in compiled["findings"]]
    added = [f for f in compiled["findings"] if f not in pure["findings"]]
    assert not missing and not added, (f"{len(missing)} findings only in pure Python, {len(added)} only compiled; "
                                       f"first {missing[:1]} {added[:1]}")
    assert compiled["findings"] == pure["findings"]  # the same order too


def test_the_compiled_modules_type_check_as_mypyc_reads_them():
    """mypyc refuses to build a module with a type error, so a change that only the pure suite ran would break
    ``make compiled`` (and CI) later: the default suite type-checks the same files with the same flags."""
    mypy_api = pytest.importorskip("mypy.api", reason="mypy comes with the hash-locked environment")
    paths = [str(SRC / (name.replace(".", "/") + ".py")) for name in build.COMPILED_MODULES]
    stdout, stderr, status = mypy_api.run(["--ignore-missing-imports", "--follow-imports=silent",
                                           "--no-incremental", *paths])
    assert status == 0, stdout + stderr
