"""Warm rescans: a cold scan, an unchanged rescan and a rescan after a one-file edit of a real tree, in one run.

Usage: python benchmarks/cache_speedup.py [--jobs N] [--engine python] [--edit RELPATH] [--check]

The tree is a copy of the wheel corpus (benchmarks/corpus.py) in a temporary folder (the edit must not
touch the shared corpus). The edit inserts a function near the top of RELPATH (default Django's
``db/models/query.py``, imported by much of Django), so every line below it moves: summaries of that
module change and files calling its functions are re-checked, as after a real edit. Prints wall and CPU
seconds (this process and its workers) of each scan and the ratios to the cold scan; ``--check`` also
runs a cold scan of the edited tree and compares its findings with the warm one's (the test
tests/core/test_warm_rescan.py does this on every edit of a git repository).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from pathlib import Path

import bastion
from bastion.core.config import Config

from corpus import count_lines, python_corpus

EDIT = "Django/django/db/models/query.py"
ADDED = "\n\ndef _bench_added(value):\n    return str(value).strip()\n"


def cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed_scan(tree: Path, cache: Path, jobs: int, engines: list[str]):
    config = Config(cache_dir=str(cache), jobs=jobs, fail_on=None)
    wall, cpu = time.perf_counter(), cpu_seconds()
    report = bastion.scan(tree, config=config, engines=engines)
    return report, time.perf_counter() - wall, cpu_seconds() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=0)
    parser.add_argument("--engine", action="append", help="engines to run (default: all)")
    parser.add_argument("--edit", default=EDIT, help="file (relative to the corpus) the one-file edit changes")
    parser.add_argument("--check", action="store_true", help="compare the edited tree's warm scan with a cold one")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="bastion-bench-cache-"))
    try:
        tree = scratch / "tree"
        shutil.copytree(python_corpus(), tree)
        files, lines = count_lines(tree)
        engines = args.engine or None
        cold, cold_wall, cold_cpu = timed_scan(tree, scratch / "cache", args.jobs, engines)
        warm, warm_wall, warm_cpu = timed_scan(tree, scratch / "cache", args.jobs, engines)
        assert [f.to_dict() for f in warm.findings] == [f.to_dict() for f in cold.findings]
        edited = tree / args.edit
        text = edited.read_text()
        cut = text.index("\n\n") if "\n\n" in text else len(text)
        edited.write_text(text[:cut] + ADDED + text[cut:])
        one, one_wall, one_cpu = timed_scan(tree, scratch / "cache", args.jobs, engines)
        print(f"corpus: {files} files, {lines} lines; engines: {', '.join(cold.stats.engines)}; jobs {args.jobs or 'auto'}")
        print(f"cold scan:      wall {cold_wall:7.2f} s  cpu {cold_cpu:7.2f} s  ({cold.stats.files_scanned} files, "
              f"{len(cold.findings)} findings)")
        print(f"unchanged:      wall {warm_wall:7.2f} s  cpu {warm_cpu:7.2f} s  ({warm.stats.files_from_cache} from cache)"
              f"  cold/warm: wall {cold_wall / warm_wall:.1f}x, cpu {cold_cpu / warm_cpu:.1f}x")
        print(f"one-file edit:  wall {one_wall:7.2f} s  cpu {one_cpu:7.2f} s  ({one.stats.files_from_cache} from cache)"
              f"  of cold: wall {one_wall / cold_wall:.1%}, cpu {one_cpu / cold_cpu:.1%}")
        if args.check:
            fresh, _, _ = timed_scan(tree, scratch / "cold-again", args.jobs, engines)
            same = [f.to_dict() for f in fresh.findings] == [f.to_dict() for f in one.findings]
            print(f"edited tree, warm vs cold findings: {'the same' if same else 'DIFFERENT'} "
                  f"({len(one.findings)} vs {len(fresh.findings)})")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
