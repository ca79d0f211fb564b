"""Bastion's JavaScript engine next to eslint-plugin-security and @microsoft/eslint-plugin-sdl, in the same run.

    python benchmarks/javascript_sast/bench.py [--corpus-packages express koa ...]

Installs eslint and both plugins from the npm registry into benchmarks/.work/js-eslint
(gitignored), fetches the corpus packages with `npm pack` into benchmarks/.work/js-corpus,
then reports, per tool: findings and precision on the labelled fixtures
(tests/fixtures/javascript: a finding on a `ruleid:` line is a true positive, on an
`ok:` line a false positive), findings on the corpus, wall time as ratios, and any
file Bastion failed on (crashes and hangs are errors).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tarfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / "benchmarks" / ".work"
ESLINT_DIR = WORK / "js-eslint"
CORPUS = WORK / "js-corpus"
FIXTURES = ROOT / "tests" / "fixtures" / "javascript"
ANNOTATION = re.compile(r"(?://|/\*)\s*(ruleid|ok):")
ESLINT_CONFIG = """
import security from "eslint-plugin-security";
import sdl from "@microsoft/eslint-plugin-sdl";
import tsParser from "@typescript-eslint/parser";
export default [
  { files: ["**/*.{js,mjs,cjs,jsx,ts,tsx}"],
    languageOptions: { parser: tsParser, parserOptions: { ecmaFeatures: { jsx: true } } },
    plugins: { security, "@microsoft/sdl": sdl },
    rules: { ...security.configs.recommended.rules, ...Object.fromEntries(Object.keys(sdl.rules).map((r) => ["@microsoft/sdl/" + r, "warn"])) } },
];
"""


def npm(*args: str, cwd: Path) -> None:
    subprocess.run(["npm", *args, "--no-audit", "--no-fund", "--loglevel=error"], cwd=cwd, check=True)


def setup_eslint() -> None:
    ESLINT_DIR.mkdir(parents=True, exist_ok=True)
    if not (ESLINT_DIR / "node_modules" / "eslint-plugin-security").exists():
        (ESLINT_DIR / "package.json").write_text('{"private": true, "type": "module"}')
        npm("install", "eslint@9", "eslint-plugin-security", "@microsoft/eslint-plugin-sdl", "@typescript-eslint/parser", cwd=ESLINT_DIR)
    (ESLINT_DIR / "eslint.config.js").write_text(ESLINT_CONFIG)


def fetch_corpus(packages: list[str]) -> None:
    CORPUS.mkdir(parents=True, exist_ok=True)
    for name in packages:
        folder = CORPUS / name.replace("/", "__")
        if folder.exists():
            continue
        out = subprocess.run(["npm", "pack", name, "--silent", "--pack-destination", str(CORPUS)], capture_output=True, text=True, check=True)
        tgz = CORPUS / out.stdout.strip().splitlines()[-1]
        with tarfile.open(tgz) as tar:
            tar.extractall(folder, filter="data")
        tgz.unlink()


def labels() -> tuple[set[tuple[str, int]], set[tuple[str, int]]]:
    bad, good = set(), set()
    for path in FIXTURES.iterdir():
        pending = None
        for number, line in enumerate(path.read_text().splitlines(), 1):
            match = ANNOTATION.search(line)
            if match and line.strip().startswith(("//", "/*")):
                pending = match.group(1)
            elif pending and line.strip():
                (bad if pending == "ruleid" else good).add((path.name, number))
                pending = None
    return bad, good


def run_bastion(target: Path) -> tuple[list[tuple[str, int]], float, list[str]]:
    sys.path.insert(0, str(ROOT / "src"))
    import bastion
    from bastion.core.config import Config
    from bastion.core.model import Severity

    config = Config(min_severity=Severity.INFO, fail_on=None, report_unused_suppressions=False)
    start = time.perf_counter()
    report = bastion.scan([target], config=config, engines=["javascript"], use_cache=False)
    elapsed = time.perf_counter() - start
    errors = [n.message for n in report.notes if n.kind == "error"]
    rules = Counter(f.rule_id for f in report.findings)
    print("  bastion rules:", ", ".join(f"{k} {v}" for k, v in rules.most_common(8)))
    return [(Path(f.location.path).name, f.location.line) for f in report.findings], elapsed, errors


def run_eslint(target: Path) -> tuple[list[tuple[str, int]], float, list[str]]:
    """Run eslint once; when a plugin rule crashes the whole run, switch that rule off and run again (and say so)."""
    disabled: list[str] = []
    start = time.perf_counter()
    while True:
        command = [str(ESLINT_DIR / "node_modules" / ".bin" / "eslint"), "--no-ignore", "-c", str(ESLINT_DIR / "eslint.config.js"), "-f", "json"]
        for rule in disabled:
            command += ["--rule", json.dumps({rule: "off"})]
        out = subprocess.run([*command, str(target)], capture_output=True, text=True, cwd=target)
        crashed = re.search(r'Rule: "([^"]+)"', out.stderr) if out.returncode == 2 else None
        if crashed is None or crashed.group(1) in disabled or len(disabled) > 5:
            break
        disabled.append(crashed.group(1))
    elapsed = time.perf_counter() - start
    results = json.loads(out.stdout or "[]")
    found = [(Path(r["filePath"]).name, m["line"]) for r in results for m in r["messages"] if m.get("ruleId")]
    rules = Counter(m["ruleId"] for r in results for m in r["messages"] if m.get("ruleId"))
    print("  eslint top rules:", ", ".join(f"{k} {v}" for k, v in rules.most_common(5)))
    return found, elapsed, disabled


def precision(found: list[tuple[str, int]], bad: set, good: set) -> str:
    hits = set(found)
    tp, fp = len(hits & bad), len(hits & good)
    return f"TP {tp}/{len(bad)} (recall {tp / max(len(bad), 1):.0%}), FP on ok lines {fp}/{len(good)}, precision {tp / max(tp + fp, 1):.0%}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus-packages", nargs="*", default=["express", "koa", "fastify", "ejs", "axios", "lodash", "jquery", "nodebb@1.4.0"])
    args = parser.parse_args()
    setup_eslint()
    fetch_corpus(args.corpus_packages)
    bad, good = labels()
    for name in ("vulnerable-app", "fixed-app"):
        found, _, _ = run_bastion(ROOT / "examples" / name / "web" / "server.js")
        print(f"== seed example {name}/web/server.js: bastion {len(found)} findings at lines {sorted(line for _, line in found)}")
        found, _, _ = run_eslint(ROOT / "examples" / name / "web")
        print(f"   eslint security+sdl: {len(found)} findings at lines {sorted(line for _, line in found)}")
    for name, target in (("fixtures", FIXTURES), ("corpus", CORPUS)):
        b_found, b_time, errors = run_bastion(target)
        e_found, e_time, crashed = run_eslint(target)
        files = sum(1 for p in target.rglob("*") if p.suffix in (".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx"))
        print(f"== {name}: {files} files")
        print(f"bastion: {len(b_found)} findings, {b_time:.2f}s, {len(errors)} file errors")
        print(f"eslint security+sdl: {len(e_found)} findings, {e_time:.2f}s" + (f" (crashed in {', '.join(crashed)}: rule switched off and rerun)" if crashed else ""))
        print(f"time ratio bastion/eslint: {b_time / max(e_time, 1e-9):.2f}")
        if name == "fixtures":
            print("bastion " + precision(b_found, bad, good))
            print("eslint  " + precision(e_found, bad, good))
        for error in errors[:10]:
            print("  error:", error)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
