"""Wall time, CPU time and peak memory of the Python engine on the wheel corpus: this checkout vs an older one, in one run.

    .venv/bin/python benchmarks/python_sast/speed_vs_base.py --base /tmp/base_src [--rounds 2]

``--base`` is the ``src`` folder of the older checkout (``git archive <commit> src | tar -x -C /tmp/base``).
Both run as ``bastion scan --engine python --no-cache -j 1`` under the same
``nice`` level, alternately, so load from other processes hits both alike;
the best round of each is compared. Peak memory is the largest resident set
of the scan process (``getrusage`` of a wrapper whose only child it is). Findings per rule are
printed side by side so a speed change is seen with what it bought.
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
import corpus  # noqa: E402


#: Runs the scan as its only child and prints that child's CPU seconds and peak RSS (KiB).
_MEASURE = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(usage.ru_utime + usage.ru_stime, usage.ru_maxrss)
"""


def scan_once(src: Path, target: Path, keep: Path | None = None) -> tuple[float, float, int, collections.Counter]:
    """One scan in a fresh process: wall seconds, CPU seconds, peak RSS in KiB, findings per rule (JSON kept in ``keep``)."""
    with tempfile.TemporaryDirectory() as scratch:
        output = Path(scratch) / "out.json"
        env = dict(os.environ, PYTHONPATH=str(src), XDG_CACHE_HOME=scratch)
        command = ["nice", "-n", "10", sys.executable, "-m", "bastion", "scan", str(target), "--engine", "python",
                   "--no-cache", "-j", "1", "--no-progress", "--fail-on", "never", "-f", "json", "-o", str(output)]
        start = time.perf_counter()
        report = subprocess.run([sys.executable, "-c", _MEASURE, *command], env=env, check=True,
                                stdout=subprocess.PIPE, text=True).stdout.split()
        wall = time.perf_counter() - start
        cpu, peak = float(report[-2]), int(report[-1])
        if keep is not None:
            keep.write_bytes(output.read_bytes())
        findings = json.loads(output.read_text()).get("findings", [])
        rules = collections.Counter(f.get("rule_id") or f.get("rule") for f in findings)
        return wall, cpu, peak, rules


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, required=True, help="src folder of the older checkout")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="folder to keep each side's JSON report in (base.json, now.json)")
    parser.add_argument("--parallel", action="store_true",
                        help="run both sides of a round at the same time: CPU times stay comparable (each side's own "
                             "accounting, same load), wall times are not; halves the time on a busy machine")
    args = parser.parse_args()
    target = corpus.python_corpus()
    files, lines = corpus.count_lines(target)
    print(f"corpus: {files} files, {lines} lines ({target})")
    best: dict[str, tuple[float, float, int, collections.Counter]] = {}
    sides = (("base", args.base), ("now", ROOT / "src"))
    for round_number in range(args.rounds):
        def run(side: tuple[str, Path]) -> tuple[float, float, int, collections.Counter]:
            return scan_once(side[1], target, args.keep / f"{side[0]}.json" if args.keep else None)

        if args.parallel:
            with concurrent.futures.ThreadPoolExecutor(len(sides)) as pool:
                results = list(pool.map(run, sides))
        else:
            results = [run(side) for side in sides]
        for (name, _), result in zip(sides, results):
            print(f"round {round_number + 1} {name}: wall {result[0]:.1f} s, cpu {result[1]:.1f} s, "
                  f"peak rss {result[2] / 1024:.0f} MiB", flush=True)
            if name not in best or result[0] < best[name][0]:
                best[name] = result
    base, now = best["base"], best["now"]
    print(f"best wall: base {base[0]:.1f} s, now {now[0]:.1f} s, ratio now/base {now[0] / base[0]:.2f}")
    print(f"best cpu:  base {base[1]:.1f} s, now {now[1]:.1f} s, ratio now/base {now[1] / base[1]:.2f}")
    print("findings per rule (base -> now):")
    for rule in sorted(set(base[3]) | set(now[3])):
        print(f"  {rule}: {base[3][rule]} -> {now[3][rule]}")


if __name__ == "__main__":
    main()
