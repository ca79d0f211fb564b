"""Access-log speed of two versions of Bastion, run alternately on the same file (a shared machine's load hits both).

Each run is a fresh process (``nice -n 10``) that reads the benchmark's access log through the whole
``bastion logs`` pipeline (fast path, detectors, incidents, report) and prints its CPU seconds; the
Hyperscan databases come from the on-disk cache (a first run per version fills it and is not counted).

Run: nice -n 10 python speed.py SRC_BEFORE SRC_AFTER [--runs 5] [--log corpus/access.log]
(``SRC_*`` are ``src`` folders, e.g. of a ``git worktree`` at the older commit.)
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
_ONE_RUN = """
import resource, sys, time
from pathlib import Path
from bastion.logs import sources
from bastion.logs.run import Session, log_options
session = Session(log_options.parse({}))
path = sys.argv[1]
cpu = time.process_time()
session.read(sources.Source(path, Path(path)))
session.report(".", time.monotonic(), None, [])
print(time.process_time() - cpu, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def one_run(src: str, log: Path) -> tuple[float, float]:
    env = dict(os.environ, PYTHONPATH=src)
    done = subprocess.run(["nice", "-n", "10", sys.executable, "-c", _ONE_RUN, str(log)], env=env, check=True,
                          capture_output=True, text=True)
    cpu, rss = done.stdout.split()
    return float(cpu), float(rss)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--log", type=Path, default=HERE / "corpus" / "access.log")
    args = parser.parse_args()
    size = args.log.stat().st_size / 1e6
    for src in (args.before, args.after):
        one_run(src, args.log)  # fills the Hyperscan cache
    cpu: dict[str, list[float]] = {"before": [], "after": []}
    rss: dict[str, list[float]] = {"before": [], "after": []}
    for _ in range(args.runs):
        for name, src in (("before", args.before), ("after", args.after)):
            seconds, peak = one_run(src, args.log)
            cpu[name].append(seconds)
            rss[name].append(peak)
    print(f"{args.log.name}: {size:.1f} MB, {args.runs} alternating runs each, nice 10\n")
    print("| version | CPU s (min / median) | MB/s of CPU (best / median) | peak RSS MB |\n| --- | --- | --- | --- |")
    for name in ("before", "after"):
        best, median = min(cpu[name]), statistics.median(cpu[name])
        print(f"| {name} | {best:.2f} / {median:.2f} | {size / best:.1f} / {size / median:.1f} | {max(rss[name]):.0f} |")
    print(f"\nafter / before CPU (medians): {statistics.median(cpu['after']) / statistics.median(cpu['before']):.2f}")


if __name__ == "__main__":
    main()
