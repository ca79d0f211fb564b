"""Running tools side by side for speed benchmarks: wall and CPU time, peak memory of all their processes.

Every command runs under the same ``nice`` level, in rounds: each round runs
every tool once, in an order rotated from round to round, so load from other
processes on a shared machine hits all tools alike. Ratios are taken within a
round (paired) and the median over rounds is reported, beside the median of
each tool's own numbers.

For one run of a command this measures:

- wall seconds;
- CPU seconds (user + system) of the command and every process it started
  (``getrusage(RUSAGE_CHILDREN)`` of a wrapper whose only child the command is);
- the peak resident set of its largest single process (``ru_maxrss``), the
  figure "peak memory per process" compares;
- the peak of the summed proportional set size (PSS) of the whole process tree,
  sampled every 20 ms from ``/proc``: forked workers share their parent's pages,
  so PSS counts a shared page once, where summed RSS would count it per process.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

NICE = 10

#: Runs argv[1:] as its only child; samples the process tree's PSS; prints one JSON line on stderr at the end.
_WRAPPER = r"""
import json, os, resource, subprocess, sys, time

def children(pid):
    found = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as handle:
                found += [int(c) for c in handle.read().split()]
    except OSError:
        pass
    return found

def pss_kib(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0

def tree_pss(root):
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += pss_kib(pid)
        stack += children(pid)
    return total

out = open(os.environ.pop("MEASURE_STDOUT"), "wb")
start = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=out, stderr=subprocess.DEVNULL)
peak = 0
while child.poll() is None:
    peak = max(peak, tree_pss(child.pid))
    time.sleep(0.02)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "max_rss_kib": usage.ru_maxrss,
                  "peak_pss_kib": peak, "returncode": child.returncode}), file=sys.stderr)
"""


@dataclass
class Run:
    wall: float
    cpu: float
    max_rss_mib: float
    peak_pss_mib: float
    returncode: int


@dataclass
class Tool:
    """A tool to measure: ``command(target, output)`` builds its argv; ``ok`` says which exit codes are success."""

    name: str
    command: Callable[[Path, Path], Sequence[str]]
    ok: tuple[int, ...] = (0,)
    env: dict[str, str] = field(default_factory=dict)
    in_target: bool = False  # run in the target folder (eslint ignores files outside its working folder)


def run_once(tool: Tool, target: Path, output: Path) -> Run:
    """One measured run of ``tool`` on ``target``; its standard output goes to ``output``.stdout."""
    env = dict(os.environ, **tool.env, MEASURE_STDOUT=str(output.with_suffix(".stdout")))
    argv = ["nice", "-n", str(NICE), *tool.command(target, output)]
    done = subprocess.run([sys.executable, "-c", _WRAPPER, *argv], env=env, cwd=target if tool.in_target else None,
                          stderr=subprocess.PIPE, text=True, check=True)
    data = json.loads(done.stderr.strip().splitlines()[-1])
    if data["returncode"] not in tool.ok:
        raise RuntimeError(f"{tool.name} exited {data['returncode']} on {target}: {' '.join(argv)}")
    return Run(data["wall"], data["cpu"], data["max_rss_kib"] / 1024, data["peak_pss_kib"] / 1024, data["returncode"])


def paired_rounds(tools: list[Tool], target: Path, scratch: Path, rounds: int,
                  log: Callable[[str], None] = print) -> dict[str, list[Run]]:
    """Every tool once per round, the order rotated each round; runs per tool name."""
    runs: dict[str, list[Run]] = {tool.name: [] for tool in tools}
    scratch.mkdir(parents=True, exist_ok=True)
    for number in range(rounds):
        shift = number % len(tools)
        for tool in tools[shift:] + tools[:shift]:
            run = run_once(tool, target, scratch / f"{tool.name}-{number}.out")
            runs[tool.name].append(run)
            log(f"    round {number + 1} {tool.name:<14} wall {run.wall:7.2f} s  cpu {run.cpu:7.2f} s  "
                f"max rss {run.max_rss_mib:6.0f} MiB  peak pss (all) {run.peak_pss_mib:6.0f} MiB")
    return runs


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def summary(runs: dict[str, list[Run]]) -> dict[str, dict[str, float]]:
    """Median wall, CPU and memory of each tool."""
    return {name: {"wall": median([r.wall for r in rs]), "cpu": median([r.cpu for r in rs]),
                   "max_rss_mib": median([r.max_rss_mib for r in rs]),
                   "peak_pss_mib": median([r.peak_pss_mib for r in rs])} for name, rs in runs.items()}


def paired_ratio(runs: dict[str, list[Run]], num: str, den: str, metric: str) -> float:
    """The median over rounds of ``num``'s metric divided by ``den``'s in the same round."""
    pairs = zip(runs[num], runs[den])
    return median([getattr(a, metric) / getattr(b, metric) for a, b in pairs if getattr(b, metric)])


def count_lines(files: list[Path]) -> int:
    return sum(p.read_bytes().count(b"\n") for p in files)


def table(rows: list[list[str]]) -> str:
    """A Markdown table (first row is the header)."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths)) + " |" for row in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def when() -> str:
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())


def measure_input(name: str, target: Path, lines: int, tools: list[Tool], rounds: int, scratch: Path,
                  findings: Callable[[str, Path], int | None], subject: str = "bastion") -> dict:
    """Paired rounds of every tool on one input: prints a table and ``subject``'s ratios to each other tool."""
    print(f"\n## {name}: {lines} lines ({target})", flush=True)
    runs = paired_rounds(tools, target, scratch / name, rounds)
    medians = summary(runs)
    result = {"name": name, "lines": lines, "medians": medians, "ratios": {},
              "findings": {t.name: findings(t.name, scratch / name / f"{t.name}-{rounds - 1}.out") for t in tools}}
    for other in runs:
        if other != subject:
            result["ratios"][f"{subject}/{other}"] = {m: paired_ratio(runs, subject, other, m)
                                                      for m in ("wall", "cpu", "max_rss_mib", "peak_pss_mib")}
    rows = [["tool", "wall s", "cpu s", "max rss MiB (one process)", "peak pss MiB (all)", "findings"]]
    for tool, values in medians.items():
        rows.append([tool, f"{values['wall']:.2f}", f"{values['cpu']:.2f}", f"{values['max_rss_mib']:.0f}",
                     f"{values['peak_pss_mib']:.0f}", str(result["findings"][tool])])
    print(table(rows))
    for label, ratio in result["ratios"].items():
        print(f"  {label}: wall {ratio['wall']:.2f}x, cpu {ratio['cpu']:.2f}x, max rss {ratio['max_rss_mib']:.2f}x, "
              f"peak pss {ratio['peak_pss_mib']:.2f}x")
    return result


def linearity(whole: dict, parts: list[dict]) -> None:
    """Each part's share of the whole's CPU time against its share of the lines (1.00 is linear)."""
    print(f"\n### linearity of {whole['name']} (cpu share / line share; 1.00 is linear)")
    tools = [t for t in whole["medians"] if all(t in part["medians"] for part in parts)]
    rows = [["part", "lines share", *[f"{t} cpu share / lines share" for t in tools]]]
    for part in parts:
        share = part["lines"] / whole["lines"]
        rows.append([part["name"], f"{share:.2f}", *[
            f"{part['medians'][t]['cpu'] / whole['medians'][t]['cpu'] / share:.2f}" for t in tools]])
    for label in ("half", "quarter"):
        group = [part for part in parts if label in part["name"]]
        rows.append([f"sum of {label}s", f"{sum(p['lines'] for p in group) / whole['lines']:.2f}", *[
            f"{sum(p['medians'][t]['cpu'] for p in group) / whole['medians'][t]['cpu']:.2f}" for t in tools]])
    print(table(rows))


def halves_and_quarters(name: str, target: Path, whole: dict, tools: list[Tool], rounds: int, scratch: Path,
                        findings: Callable[[str, Path], int | None], suffixes: tuple[str, ...]) -> list[dict]:
    """The input cut into halves and quarters of whole packages, each measured, then the linearity table."""
    from partition import materialise, split

    parts = []
    for count, label in ((2, "half"), (4, "quarter")):
        for number, part in enumerate(split(target, count, suffixes), 1):
            folder = materialise(target, part, scratch / "parts" / f"{name}-{label}{number}")
            units = ", ".join(str(u.relative_to(target)) or "." for u in part.units[:4])
            more = f" and {len(part.units) - 4} more" if len(part.units) > 4 else ""
            print(f"\n{name} {label} {number}: {units}{more}")
            parts.append(measure_input(f"{name}-{label}{number}", folder, part.lines, tools, rounds, scratch,
                                       findings))
    linearity(whole, parts)
    return parts


def bastion_tool(name: str, engine: str, jobs: int, src: Path | None, scratch: Path, python: str = sys.executable) -> Tool:
    """``bastion scan --engine ENGINE --no-cache -j JOBS`` from the checkout whose ``src`` folder is ``src`` (None: the
    bastion installed in ``python``, a compiled build say), writing its JSON report to the run's output file."""
    env = {"XDG_CACHE_HOME": str(scratch / "xdg-cache"), "BASTION_CACHE_DIR": ""}
    if src is not None:
        env["PYTHONPATH"] = str(src)
    return Tool(name, lambda target, out: [python, "-m", "bastion", "scan", str(target), "--engine", engine,
                                           "--no-cache", "-j", str(jobs), "--no-progress", "--fail-on", "never",
                                           "-q", "-f", "json", "-o", str(out)], env=env)


def bastion_findings(output: Path) -> int | None:
    """How many findings a Bastion JSON report holds (None: no report)."""
    try:
        return len(json.loads(output.read_text()).get("findings", []))
    except (OSError, ValueError):
        return None


def arguments(description: str, default_src: Path) -> "argparse.ArgumentParser":
    """The options every speed benchmark takes."""
    import argparse

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--base", type=Path, help="src folder of an older checkout, measured as bastion-base")
    parser.add_argument("--src", type=Path, default=default_src,
                        help="src folder measured as bastion (a snapshot: edits made during the run then do not count)")
    parser.add_argument("--no-parts", action="store_true", help="only the whole inputs, no halves and quarters")
    parser.add_argument("--part-rounds", type=int, default=1, help="rounds for each half and quarter (the base, if any, "
                        "is measured on whole inputs only)")
    parser.add_argument("--only", help="one input only (by name)")
    return parser


def run_inputs(inputs: dict[str, Path], tools: list[Tool], args: Any, scratch: Path,
               findings: Callable[[str, Path], int | None], suffixes: tuple[str, ...], save: Path) -> None:
    """Every input whole (``args.rounds`` rounds), then its halves and quarters; all results saved as JSON."""
    results = []
    for name, target in inputs.items():
        if args.only not in (None, name):
            continue
        files = sorted(p for p in target.rglob("*") if p.suffix in suffixes and p.is_file())
        whole = measure_input(name, target, count_lines(files), tools, args.rounds, scratch, findings)
        results.append(whole)
        if not args.no_parts:
            part_tools = [tool for tool in tools if tool.name != "bastion-base"]
            results.extend(halves_and_quarters(name, target, whole, part_tools, args.part_rounds, scratch, findings,
                                               suffixes))
    save = save.with_name(f"{save.stem}-{args.only}.json") if args.only else save
    save.parent.mkdir(parents=True, exist_ok=True)
    save.write_text(json.dumps(results, indent=1))
