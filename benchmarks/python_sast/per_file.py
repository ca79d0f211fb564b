"""CPU time of the per-file Python analysis by phase, without a profiler: parse, lower to IR, taint analysis.

    .venv/bin/python benchmarks/python_sast/per_file.py [TARGET] [--src SRC] [--profile FILE]

TARGET defaults to Django from the wheel corpus (benchmarks/corpus.py). Every file is parsed, lowered and
analysed in this one process as the per-file pass does (no other module's summaries, no project pass, no
workers, no cache), and the CPU time of each phase is summed (``time.process_time``), so that a change to
the frontends or the taint core can be measured before/after on the same files in one run: run it with
``--src`` pointing at each checkout's ``src``, alternating, and compare the CPU columns (they hold up under
load where wall times do not). The hits' digest must be the same for both: a speed change must not change
what is found. ``--profile`` also writes a cProfile of the lowering and analysis (pstats format).
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", nargs="?", type=Path)
    parser.add_argument("--src", type=Path, default=ROOT / "src")
    parser.add_argument("--installed", action="store_true",
                        help="use the bastion installed in this interpreter (a compiled build), not --src")
    parser.add_argument("--profile", type=Path, help="write a cProfile of lowering and analysis here")
    args = parser.parse_args()
    if not args.installed:
        sys.path.insert(0, str(args.src))
    from bastion.core import parsing
    from bastion.core.engine_api import SourceFile
    from bastion.sast.python import engine
    from bastion.sast.python.crossmodule import external_functions, project_facts
    from bastion.sast.python.frontend import lower_module
    from bastion.sast.python.semantics import PythonHooks
    from bastion.sast.build import build_name
    from bastion.sast.taint import Analyzer

    if args.target is None:
        import corpus

        args.target = corpus.python_corpus() / "Django"
    options = engine.validate_options({})
    models = engine.models_of(options)
    profile = cProfile.Profile() if args.profile else None
    seconds = {"parse": 0.0, "lower": 0.0, "analyse": 0.0}
    digest = hashlib.sha256()
    files = hits = 0
    for path in sorted(args.target.rglob("*.py")):
        relative, data = str(path.relative_to(args.target)), path.read_bytes()
        started = time.process_time()
        tree = parsing.parse("python", data)
        parsed = time.process_time()
        if profile:
            profile.enable()
        module = lower_module(tree, data, relative)
        lowered = time.process_time()
        hooks = PythonHooks(SourceFile(relative, str(path), "python", data), options)
        analyzer = Analyzer(module, models, hooks, max_rounds=options["max-rounds"],
                            external=external_functions([], module.name), project=project_facts([]))
        found = analyzer.run()
        analysed = time.process_time()
        if profile:
            profile.disable()
        seconds["parse"] += parsed - started
        seconds["lower"] += lowered - parsed
        seconds["analyse"] += analysed - lowered
        files += 1
        hits += len(found)
        digest.update(repr(sorted(repr(hit) for hit in found)).encode())
    print(f"{args.target}: {files} files, bastion from {Path(engine.__file__).parents[3]}, SAST {build_name()}")
    print(" ".join(f"{phase} {value:.2f}s" for phase, value in seconds.items()),
          f"total {sum(seconds.values()):.2f}s CPU; {hits} hits, digest {digest.hexdigest()[:16]}")
    if profile and args.profile:
        profile.dump_stats(args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
