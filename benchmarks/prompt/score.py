"""Theme recognition accuracy and hardening speed on the labelled task set.

Usage: PYTHONPATH=src python benchmarks/prompt/score.py [--tasks FILE]... [--all] [--show-errors] [--json]

Prints, per task set, precision, recall and F1 per theme (micro-averaged over
tasks), the tasks where detection and labels disagree (with --show-errors),
and the time to harden a prompt after start-up (median and 95th percentile
over every task). ``--all`` scores the tuning set, the development set and both held-out sets.
Exit code 1 when any theme of the tuning set (tasks.yaml) is below the 0.9
target; held-out sets are reported, never held to it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import yaml

from bastion.prompt import harden_prompt
from bastion.prompt.catalog import load_knowledge

TARGET = 0.9


def load_tasks(path: Path) -> list[tuple[str, set[str]]]:
    data = yaml.safe_load(path.read_text("utf-8"))
    known = set(load_knowledge().themes)
    tasks = []
    for task, labels in data:
        unknown = set(labels) - known
        if unknown:
            raise SystemExit(f"unknown theme labels {sorted(unknown)} in task {task!r}")
        tasks.append((task, set(labels)))
    return tasks


def score(tasks: list[tuple[str, set[str]]]) -> tuple[dict[str, dict[str, float]], list[tuple[str, set, set]]]:
    counts = {t: {"tp": 0, "fp": 0, "fn": 0} for t in load_knowledge().themes}
    errors = []
    for task, labels in tasks:
        # the themes the prompt names: the request's own signs plus what the features it builds imply
        found = set(harden_prompt(task).theme_ids)
        for theme in counts:
            if theme in found and theme in labels:
                counts[theme]["tp"] += 1
            elif theme in found:
                counts[theme]["fp"] += 1
            elif theme in labels:
                counts[theme]["fn"] += 1
        if found != labels:
            errors.append((task, found - labels, labels - found))
    metrics = {}
    totals = {k: sum(c[k] for c in counts.values()) for k in ("tp", "fp", "fn")}
    for theme, c in [*counts.items(), ("ALL (micro)", totals)]:
        precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        metrics[theme] = {"precision": precision, "recall": recall, "f1": f1, "support": c["tp"] + c["fn"]}
    return metrics, errors


def timing(tasks: list[tuple[str, set[str]]]) -> dict[str, float]:
    harden_prompt("warm-up: upload a file")  # start-up: knowledge loaded once per process
    samples = []
    for task, _ in tasks:
        start = time.perf_counter()
        harden_prompt(task).render("text")
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {"median_ms": statistics.median(samples), "p95_ms": samples[int(len(samples) * 0.95) - 1],
            "max_ms": samples[-1]}


HERE = Path(__file__).parent
TUNING = HERE / "tasks.yaml"
ALL_SETS = (TUNING, HERE / "holdout.yaml", HERE / "dev.yaml", HERE / "holdout2.yaml")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=Path, action="append", help="a task set (repeatable; default tasks.yaml)")
    parser.add_argument("--all", action="store_true", help="every task set: tuning, development and held-out")
    parser.add_argument("--show-errors", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    start = time.perf_counter()
    load_knowledge()
    startup_ms = (time.perf_counter() - start) * 1000
    paths = list(ALL_SETS) if args.all else (args.tasks or [TUNING])
    results = {path.name: report(load_tasks(path), startup_ms, args) for path in paths}
    if args.json:
        print(json.dumps(results, indent=2))
    tuning = results.get(TUNING.name)
    below = [t for t, m in (tuning or {}).get("themes", {}).items()
             if not t.startswith("ALL") and (m["precision"] < TARGET or m["recall"] < TARGET)]
    return 1 if below else 0


def report(tasks: list[tuple[str, set[str]]], startup_ms: float, args: argparse.Namespace) -> dict:
    """Score one task set, print its table unless --json, and return the numbers."""
    metrics, errors = score(tasks)
    times = timing(tasks) | {"startup_ms": startup_ms}
    if not args.json:
        print(f"{len(tasks)} tasks, {sum(1 for _, t in tasks if not t)} without any theme\n")
        print(f"{'theme':18} {'precision':>9} {'recall':>7} {'f1':>6} {'support':>8}")
        for theme, m in metrics.items():
            print(f"{theme:18} {m['precision']:9.3f} {m['recall']:7.3f} {m['f1']:6.3f} {m['support']:8d}")
        print(f"\nexact-match tasks: {len(tasks) - len(errors)}/{len(tasks)}")
        print(f"start-up (knowledge load): {times['startup_ms']:.1f} ms; harden + render per task: "
              f"median {times['median_ms']:.2f} ms, p95 {times['p95_ms']:.2f} ms, max {times['max_ms']:.2f} ms")
        if args.show_errors:
            for task, extra, missing in errors:
                print(f"- {task}\n    extra: {sorted(extra)}  missing: {sorted(missing)}")
        print()
    return {"tasks": len(tasks), "exact": len(tasks) - len(errors), "themes": metrics, "timing": times}


if __name__ == "__main__":
    sys.exit(main())
