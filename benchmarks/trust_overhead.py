"""What the trust boundaries cost: the same work timed with this checkout and an older one, same input,
same run, same priority.

- a warm-cache scan (every entry now HMAC-checked; the cache now in the user's cache folder),
- the changed lines of ``--diff`` (every git call now through bastion.host.git: one more ``git config`` each),
- history scanning of a real repository (same).

Usage: nice python benchmarks/trust_overhead.py --before OLD_CHECKOUT/src --repo GIT_REPO --tree FOLDER
Prints the median wall and CPU seconds of each measurement for both, and their ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parents[1] / "src"

#: Each measurement as a small program: prints {"wall": seconds} after its warm-up.
PROGRAMS = {
    "warm-cache scan": """
import time, bastion
from bastion.core.config import Config
config = Config(cache_dir={cache!r}, fail_on=None, jobs=2)
bastion.scan({tree!r}, config=config, engines=["secrets", "python"])
t = time.perf_counter(); bastion.scan({tree!r}, config=config, engines=["secrets", "python"])
print(time.perf_counter() - t)
""",
    "--diff changed lines": """
import time
from pathlib import Path
from bastion.pipeline.filters import changed_lines
t = time.perf_counter()
for _ in range(5):
    changed_lines(Path({repo!r}), "HEAD~20")
print(time.perf_counter() - t)
""",
    "history scan": """
import time
from bastion.secrets import scan_history
t = time.perf_counter(); scan_history({repo!r}, {{}}, jobs=1)
print(time.perf_counter() - t)
""",
}


def run(src: str, program: str, env: dict[str, str]) -> tuple[float, float]:
    before = os.times()
    proc = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True,
                          env={**env, "PYTHONPATH": src, "PYTHONDONTWRITEBYTECODE": "1"})
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return float(proc.stdout.strip().splitlines()[-1]), cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--before", required=True, help="src/ of the checkout to compare with")
    parser.add_argument("--repo", required=True, help="a git repository (at least 21 commits)")
    parser.add_argument("--tree", required=True, help="a folder to scan")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    state = tempfile.mkdtemp(prefix="bastion-bench-state-")
    env = {**os.environ, "BASTION_CACHE_DIR": f"{state}/cache", "BASTION_STATE_DIR": f"{state}/state"}
    results = {}
    for name, template in PROGRAMS.items():
        for label, src in (("before", args.before), ("after", str(HERE))):
            cache = tempfile.mkdtemp(prefix="bastion-bench-cache-")
            program = template.format(cache=cache, tree=args.tree, repo=args.repo)
            samples = [run(src, program, env) for _ in range(args.runs)]
            results[(name, label)] = (statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples))
        (wall_b, cpu_b), (wall_a, cpu_a) = results[(name, "before")], results[(name, "after")]
        print(f"{name:22} before {wall_b:7.3f} s wall {cpu_b:7.2f} s cpu | after {wall_a:7.3f} s wall "
              f"{cpu_a:7.2f} s cpu | wall x{wall_a / wall_b:.2f}")
    print(json.dumps({f"{k[0]} {k[1]}": v for k, v in results.items()}))


if __name__ == "__main__":
    main()
