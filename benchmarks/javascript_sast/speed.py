"""JavaScript/TypeScript SAST speed side by side in one run: Bastion and eslint with eslint-plugin-security.

    .venv/bin/python benchmarks/javascript_sast/speed.py [--rounds 3] [--jobs 2] [--base /tmp/base/src] [--no-parts]

Inputs: npm packages unpacked by benchmarks/corpus.py (``npm pack``: no install scripts run) into
benchmarks/.work/corpus/javascript: the whole set, one large single-package codebase (NodeBB 1.4.0,
an application), and halves and quarters of each made of whole packages (benchmarks/partition.py).

Tools, every one under ``nice -n 10`` (benchmarks/measure.py), in paired rounds:

- ``bastion``: ``bastion scan --engine javascript --no-cache -j JOBS`` (cross-module pass included);
- ``eslint``: eslint 9 with eslint-plugin-security's recommended rules and the TypeScript parser
  (so .ts/.tsx files parse), one process, as most projects run it;
- ``eslint-j2``: the same with ``--concurrency 2`` (eslint's own worker threads), the fair match on two cores;
- ``bastion-base`` (with ``--base``): an older checkout's ``src``.

eslint and its plugins are installed with npm into benchmarks/.work/eslint-security on first use.
Prints Markdown tables and writes benchmarks/.work/speed/javascript.json. No timing is asserted anywhere.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
import corpus  # noqa: E402
import measure  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks" / "real_apps"))
from run import ESLINT_CONFIG  # noqa: E402  (the real-app benchmark's: security's recommended rules, TS parser)

WORK = ROOT / "benchmarks" / ".work" / "speed"
ESLINT = ROOT / "benchmarks" / ".work" / "eslint-security"
SUFFIXES = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx")
PACKAGES = ["express@4.21.2", "koa@2.15.3", "fastify@5.2.0", "ejs@3.1.10", "axios@1.7.9", "lodash@4.17.21",
            "jquery@3.7.1", "nodebb@1.4.0"]
LARGE = "nodebb@1.4.0"


def eslint_path() -> Path:
    binary = ESLINT / "node_modules" / ".bin" / "eslint"
    if not binary.exists():
        ESLINT.mkdir(parents=True, exist_ok=True)
        (ESLINT / "package.json").write_text('{"private": true, "type": "module"}')
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--loglevel=error", "--ignore-scripts",
                        "eslint@9.39.4", "eslint-plugin-security@3.0.1", "@typescript-eslint/parser@8.46.4"],
                       cwd=ESLINT, check=True)
    (ESLINT / "eslint.config.js").write_text(ESLINT_CONFIG)
    return binary


def tools(jobs: int, src: Path, base: Path | None) -> list[measure.Tool]:
    eslint = str(eslint_path())
    config = str(ESLINT / "eslint.config.js")

    def lint(*extra: str):
        return lambda target, out: [eslint, "--no-ignore", "-c", config, "-f", "json", "-o", str(out), *extra, "."]

    out = [measure.bastion_tool("bastion", "javascript", jobs, src, WORK),
           measure.Tool("eslint", lint(), ok=(0, 1), in_target=True),
           measure.Tool("eslint-j2", lint("--concurrency", str(jobs)), ok=(0, 1), in_target=True)]
    if base is not None:
        out.append(measure.bastion_tool("bastion-base", "javascript", jobs, base, WORK))
    return out


def findings(tool: str, output: Path) -> int | None:
    if not tool.startswith("eslint"):
        return measure.bastion_findings(output)
    try:
        data = json.loads(output.read_text())
    except (OSError, ValueError):
        return None
    return sum(1 for result in data for message in result["messages"] if message.get("ruleId"))


def main() -> int:
    args = measure.arguments(__doc__.splitlines()[0], ROOT / "src").parse_args()
    tree = corpus.npm_corpus(PACKAGES)
    all_tools = tools(args.jobs, args.src, args.base)
    print(f"# JavaScript/TypeScript SAST speed, {measure.when()}: {args.rounds} paired rounds, bastion -j {args.jobs}, "
          f"all tools at nice {measure.NICE}")
    inputs = {"npm-corpus": tree, "nodebb": tree / LARGE.replace("/", "__").replace("@", "")}
    measure.run_inputs(inputs, all_tools, args, WORK, findings, SUFFIXES, WORK / "javascript.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
