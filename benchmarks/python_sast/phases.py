"""Where a SAST scan spends its time: cProfile of one in-process scan (``-j 1``), grouped by phase.

    .venv/bin/python benchmarks/python_sast/phases.py [TARGET] [--engine python|javascript] [--src SRC] [--save FILE]

TARGET defaults to Django from the wheel corpus (benchmarks/corpus.py). ``--src`` profiles another
checkout's ``src`` (for before/after). Files are analysed in worker processes only (never in the main
process), so the one worker of ``-j 1`` is profiled too (each batch under cProfile, its profile saved after
every batch) and its profile merged with the main process's; cProfile roughly doubles the times, so read
the shares, not the seconds. Prints the time
per phase (cumulative, so nested phases overlap: the project pass contains parsing, lowering and
analysis of the files it re-checks), the number of analyses in each pass, and the functions with the
most time of their own.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

#: Phase -> (file suffix, function name) of the function whose cumulative time is that phase.
PHASES = {
    "whole scan (api.scan)": ("bastion/interfaces/api.py", "scan"),
    "analysis tasks, both passes (worker.run_task)": ("bastion/pipeline/worker.py", "run_task"),
    "  parse (tree-sitter, parsing.parse)": ("bastion/core/parsing.py", "parse"),
    "  lower to IR (frontend.lower_module)": ("frontend.py", "lower_module"),
    "  taint analysis (taint.Analyzer.run)": ("sast/taint.py", "run"),
    "  summary export (crossmodule.export)": ("sast/crossmodule.py", "export"),
    "project pass (project_pass.run_project_pass, main process: waiting included)": ("bastion/pipeline/project_pass.py", "run_project_pass"),
    "main process: results received, unpickled (Connection.recv)": ("multiprocessing/connection.py", "recv"),
    "main process: batches and summary changes pickled (Connection.send)": ("multiprocessing/connection.py", "send"),
    "cache and payload decoding (json.loads)": ("json/__init__.py", "loads"),
    "cache and payload encoding (json.dumps)": ("json/__init__.py", "dumps"),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", nargs="?", type=Path)
    parser.add_argument("--engine", default="python")
    parser.add_argument("--src", type=Path, default=ROOT / "src")
    parser.add_argument("--save", type=Path, help="also write the raw profile here (pstats format)")
    parser.add_argument("--load", type=Path, help="only summarise a profile saved earlier (by --save or cProfile -o)")
    args = parser.parse_args()
    if args.load:
        stats = pstats.Stats(str(args.load))
    else:
        stats = profile_scan(args)
    print_phases(stats)
    return 0


def profile_scan(args: argparse.Namespace) -> pstats.Stats:
    sys.path.insert(0, str(args.src))
    import bastion
    from bastion.core.config import Config

    if args.target is None:
        import corpus

        args.target = corpus.python_corpus() / "Django"
    workers = Path(tempfile.mkdtemp(prefix="bastion-phases-"))
    _profile_workers(workers)
    profile = cProfile.Profile()
    profile.enable()
    report = bastion.scan(args.target, config=Config(fail_on=None, jobs=1), engines=[args.engine], use_cache=False)
    profile.disable()
    stats = pstats.Stats(profile)
    for saved in sorted(workers.glob("*.prof")):
        stats.add(str(saved))
    shutil.rmtree(workers)
    if args.save:
        stats.dump_stats(args.save)
    print(f"{args.target}: {report.stats.files_scanned} files, {report.stats.lines_scanned} lines, "
          f"{len(report.findings)} findings (bastion from {bastion.__file__})")
    return stats


def _profile_workers(folder: Path) -> None:
    """Run every batch of the (forked) workers under cProfile, saving each process's profile after each batch
    (a worker ends without running exit handlers)."""
    from bastion.pipeline import pool

    real = pool.run_batch
    profiles: dict[int, cProfile.Profile] = {}

    def profiled(*args, **kwargs):
        profile = profiles.setdefault(os.getpid(), cProfile.Profile())
        profile.enable()
        try:
            return real(*args, **kwargs)
        finally:
            profile.disable()
            profile.dump_stats(str(folder / f"worker-{os.getpid()}.prof"))

    pool.run_batch = profiled


def print_phases(stats: pstats.Stats) -> None:
    table = stats.stats  # type: ignore[attr-defined]  # (file, line, name) -> (calls, primitive, own, cumulative, callers)
    total = next((v[3] for k, v in table.items() if k[0].endswith("bastion/interfaces/api.py") and k[2] == "scan"), 0.0)
    print(f"{'phase':<52} {'calls':>8} {'seconds':>9} {'share':>6}")
    for label, (suffix, name) in PHASES.items():
        rows = [v for k, v in table.items() if k[0].endswith(suffix) and k[2] == name]
        calls = sum(v[0] for v in rows)
        seconds = max((v[3] for v in rows), default=0.0) if len(rows) == 1 else sum(v[3] for v in rows)
        print(f"{label:<52} {calls:>8} {seconds:>9.2f} {seconds / total if total else 0:>6.0%}")
    print("\nfunctions with the most time of their own:")
    stats.sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    raise SystemExit(main())
