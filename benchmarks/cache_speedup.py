"""Foundation benchmark: a first scan against an unchanged second scan of the same real tree.

Usage: python benchmarks/cache_speedup.py [--jobs N]
Prints the line count, both wall times and their ratio (the issue asks for >= 10x).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import bastion
from bastion.core.config import Config

from corpus import count_lines, python_corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=0)
    args = parser.parse_args()
    corpus = python_corpus()
    files, lines = count_lines(corpus)
    cache = Path(tempfile.mkdtemp(prefix="bastion-bench-cache-"))
    try:
        config = Config(cache_dir=str(cache), jobs=args.jobs, fail_on=None)
        started = time.perf_counter()
        first = bastion.scan(corpus, config=config)
        cold = time.perf_counter() - started
        started = time.perf_counter()
        second = bastion.scan(corpus, config=config)
        warm = time.perf_counter() - started
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    assert [f.fingerprint for f in first.findings] == [f.fingerprint for f in second.findings]
    print(f"corpus: {files} files, {lines} lines; engines: {', '.join(first.stats.engines)}")
    print(f"first scan:  {cold:7.2f} s  ({first.stats.files_scanned} files analysed, {len(first.findings)} findings)")
    print(f"second scan: {warm:7.2f} s  ({second.stats.files_from_cache} files from cache)")
    print(f"speed-up: {cold / warm:.1f}x")


if __name__ == "__main__":
    main()
