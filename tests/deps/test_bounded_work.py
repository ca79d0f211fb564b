"""Lockfiles that made the dependency audit quadratic or unbounded, and the audit's own budgets
(issue 14, point 8). No timing assertions: memory is held by a resource limit in a subprocess, search work
is counted, and a blown budget is shown by its note."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

import bastion
from bastion.core.config import Config
from bastion.deps.readers import reader_for


def _chain_lock(length: int, last: tuple[str, str]) -> str:
    names = [f"pkg{i}" for i in range(length)] + [last[0]]
    packages = {"": {"dependencies": {names[0]: "^1.0.0"}}}
    for index, name in enumerate(names):
        version = last[1] if name == last[0] else "1.0.0"
        deps = {names[index + 1]: "*"} if index + 1 < len(names) else {}
        packages[f"node_modules/{name}"] = {"version": version, "dependencies": deps}
    return json.dumps({"lockfileVersion": 3, "packages": packages}, indent=2)


def _limit_address_space() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1536 * 1024 * 1024, 1536 * 1024 * 1024))


def test_a_25000_long_chain_is_audited_in_bounded_memory(tmp_path: Path, db_env: Path) -> None:
    """Every package's chain was a copy of the whole path to it: 2.5 GB for this lockfile."""
    (tmp_path / "package-lock.json").write_text(_chain_lock(25_000, ("lodash", "4.17.15")))
    run = subprocess.run([sys.executable, "-m", "bastion", "scan", str(tmp_path), "--engine", "deps", "--no-cache",
                          "-f", "json", "--strict"], capture_output=True, text=True, preexec_fn=_limit_address_space,
                         timeout=900)
    assert run.returncode == 1, run.stderr[-2000:]
    report = json.loads(run.stdout)
    # the only note is the accepted age of the test's 2024 advisory data; nothing about budgets or limits
    assert not [n for n in report["notes"] if "advisory database" not in n["message"]]
    lodash = [f for f in report["findings"] if f["properties"]["package"] == "lodash"]
    assert lodash and "pulled in by pkg0 -> " in lodash[0]["message"]
    assert "(24984 more) -> " in lodash[0]["message"]
    assert len(lodash[0]["properties"]["chain"]) == 16 and lodash[0]["properties"]["chain"][-1] == "pkg24999"


class CountingText(str):
    """A text that counts the characters its ``find`` calls read."""

    scanned = 0

    def find(self, needle, start=0, end=None):  # noqa: D102 - str.find
        stop = len(self) if end is None else min(end, len(self))
        found = super().find(needle, start, end)
        CountingText.scanned += (found if found != -1 else stop) - start
        return found


def _lockfiles(n: int) -> dict[str, str]:
    return {
        "package-lock.json": _chain_lock(n, ("last", "1.0.0")),
        "yarn.lock": "# yarn lockfile v1\n\n" + "".join(
            f'pkg{i}@^1.0.0:\n  version "1.0.{i}"\n  dependencies:\n    pkg{i + 1} "^1.0.0"\n\n' for i in range(n)),
        "pnpm-lock.yaml": "lockfileVersion: '9.0'\n\nimporters:\n  .:\n    dependencies:\n      pkg0:\n"
                          "        specifier: ^1.0.0\n        version: 1.0.0\n\npackages:\n"
                          + "".join(f"  pkg{i}@1.0.0:\n    resolution: {{integrity: sha512-x}}\n\n" for i in range(n)),
        "poetry.lock": "".join(f'[[package]]\nname = "pkg{i}"\nversion = "1.0.{i}"\n\n[package.dependencies]\n'
                               f'pkg{i + 1} = "*"\n\n' for i in range(n)),
        "uv.lock": "version = 1\n" + "".join(f'[[package]]\nname = "pkg{i}"\nversion = "1.0.{i}"\n'
                                             f'dependencies = [{{ name = "pkg{i + 1}" }}]\n\n' for i in range(n)),
    }


@pytest.mark.parametrize("name", sorted(_lockfiles(1)))
def test_readers_find_each_package_line_in_one_pass(name: str, monkeypatch) -> None:
    """Each package's line was searched for from the top of the file (8-15x the time for 4x the input)."""
    from bastion.deps import packages
    from bastion.deps.readers import npm, pnpm, pylocks, yarn

    class CountingLines(packages.Lines):
        def __init__(self, text: str):
            super().__init__(CountingText(text))

    for module in (npm, pnpm, pylocks, yarn):
        monkeypatch.setattr(module, "Lines", CountingLines)
    text = _lockfiles(3000)[name]
    CountingText.scanned = 0
    deps = reader_for(name)(name, text, lambda path: "")
    assert len(deps) >= 3000
    assert max(d.line for d in deps) > len(text.splitlines()) // 2  # lines were found, not defaulted
    assert CountingText.scanned <= 4 * len(text)


def test_the_dependency_engine_has_a_time_budget(tmp_path: Path, db_env: Path, monkeypatch) -> None:
    from bastion.deps import audit

    real = audit.collect

    def slow(paths, read):
        time.sleep(10)
        return real(paths, read)

    monkeypatch.setattr("bastion.deps.engine.collect", slow)
    (tmp_path / "requirements.txt").write_text("urllib3==1.25.7\n")
    report = bastion.scan(tmp_path, config=Config(file_timeout=0.05, fail_on=None, strict=True), engines=["deps"],
                          use_cache=False)
    assert [n.message for n in report.notes] == ["deps exceeded the 0.5s time budget; partial results"]
    assert report.exit_code == 2


def test_the_dependency_engine_has_a_memory_budget(tmp_path: Path, db_env: Path, monkeypatch) -> None:
    def hungry(paths, read):
        hoard = bytearray(8 << 30)  # 8 GiB of address space, never touched
        return hoard

    monkeypatch.setattr("bastion.deps.engine.collect", hungry)
    (tmp_path / "requirements.txt").write_text("urllib3==1.25.7\n")
    report = bastion.scan(tmp_path, config=Config(file_memory_mb=256, fail_on=None), engines=["deps"],
                          use_cache=False)
    assert [n.message for n in report.notes] == ["deps exceeded the memory budget; partial results"]
