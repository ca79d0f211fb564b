"""Dependency-audit measurements: database build time, the seed's examples, and a 2,000-package lockfile.

    python benchmarks/deps/bench.py [--osv ../shared/osv]

Prints one line per measurement. Everything runs offline against the OSV
snapshot; work files go to benchmarks/.work/deps (gitignored).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve()
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT / "src"))

from bastion.deps import importer  # noqa: E402
from bastion.deps.audit import audit, collect  # noqa: E402
from bastion.deps.options import DepsOptions  # noqa: E402

WORK = ROOT / "benchmarks" / ".work" / "deps"


def _timed(fn, repeat: int = 1) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def _audit(root: Path, db_dir: Path):
    paths = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    inventory = collect(paths, lambda rel: (root / rel).read_bytes())
    return inventory, audit(inventory, DepsOptions(db_dir=str(db_dir), lookalike=True))


def _npm_lock(count: int) -> str:
    names = (ROOT / "src/bastion/deps/data/popular-npm.txt").read_text().split()[:count]
    packages = {"": {"dependencies": {n: "*" for n in names[:50]}}}
    for index, name in enumerate(names):
        version = {"lodash": "4.17.15", "minimist": "1.2.0"}.get(name, f"{1 + index % 7}.{index % 11}.{index % 5}")
        packages[f"node_modules/{name}"] = {"version": version, "dependencies": {names[(index * 7 + 1) % count]: "*"}}
    return json.dumps({"name": "bench", "lockfileVersion": 3, "packages": packages}, indent=2)


def _poetry_lock(count: int) -> str:
    names = (ROOT / "src/bastion/deps/data/popular-pypi.txt").read_text().split()[:count]
    blocks = []
    for index, name in enumerate(names):
        version = {"urllib3": "1.25.7", "requests": "2.19.0", "django": "3.2.0"}.get(name, f"{1 + index % 5}.{index % 9}.{index % 4}")
        dep = names[(index * 7 + 1) % count]
        blocks.append(f'[[package]]\nname = "{name}"\nversion = "{version}"\n\n[package.dependencies]\n{dep} = "*"\n')
    return "\n".join(blocks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--osv", default=str(ROOT.parent / "shared" / "osv"))
    args = parser.parse_args()
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    db_dir = WORK / "db"

    seconds, (stats, _) = _timed(lambda: importer.import_path(args.osv, db_dir))
    print(f"db update --from {args.osv}: {seconds:.2f} s ({stats.added} records added, {stats.unchanged} duplicates, {stats.invalid} invalid)")
    seconds, (stats, _) = _timed(lambda: importer.import_path(args.osv, db_dir))
    print(f"db update again (incremental, nothing new): {seconds:.2f} s ({stats.added} added, {stats.unchanged} unchanged)")

    seed = WORK / "seed"
    seed.mkdir()
    (seed / "requirements.txt").write_text("urllib3==1.25.7\nrequests==2.19.0\n")
    _, items = _audit(seed, db_dir)
    for finding in (i for i in items if getattr(i, "rule_id", "") == "vulnerable-dependency"):
        adv = finding.properties["advisory"]
        if {"CVE-2020-26137", "CVE-2018-18074"} & set(adv["aliases"]):
            print(f"seed: {finding.properties['package']} {finding.properties['version']}: {adv['id']} "
                  f"({', '.join(adv['aliases'])}) fixed in {', '.join(adv['fixed'])}; upgrade to {finding.properties['upgrade_to']}")

    for label, filename, text in (("npm package-lock.json", "package-lock.json", _npm_lock(2000)),
                                  ("poetry.lock", "poetry.lock", _poetry_lock(2000))):
        folder = WORK / filename.replace(".", "-")
        folder.mkdir()
        (folder / filename).write_text(text)
        _audit(folder, db_dir)  # warm the OS cache and the database pages
        seconds, (inventory, items) = _timed(lambda: _audit(folder, db_dir), repeat=5)
        vulns = sum(1 for i in items if getattr(i, "rule_id", "") == "vulnerable-dependency")
        print(f"{label}, {len(inventory.deps)} packages, warm database: {seconds * 1000:.0f} ms "
              f"(median of 5; {vulns} vulnerability findings)")
        command = [sys.executable, "-m", "bastion", "deps", str(folder), "-f", "json", "--db-dir", str(db_dir)]
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
        seconds, _ = _timed(lambda: subprocess.run(command, capture_output=True, env=env, check=False), repeat=3)
        print(f"  `bastion deps` on it, whole command (interpreter start, rules of every engine, discovery): {seconds:.2f} s")


if __name__ == "__main__":
    main()
