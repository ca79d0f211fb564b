"""Scan the real-application corpus with Bastion, Bandit and eslint-plugin-security in the same run.

    python benchmarks/real_apps/run.py --label after [--bastion PATH/TO/bastion] [--apps flaskbb umami]

Expects the corpus fetched by fetch.py. Installs the peers into benchmarks/.work/real_apps/peers
(Bandit in its own venv, eslint 9 + eslint-plugin-security with npm) at pinned versions. Each tool's
findings go to results/<label>/<tool>.jsonl as one flat record per finding (app, path, line, rule,
severity), the rows judgements.csv is keyed by. `--bastion` picks the Bastion executable, so the
"before" run uses a separate checkout's venv on the same bytes.

Prints, per app and tool: lines of code, findings at medium or above, and findings per 1,000 lines.
score.py joins the results with the hand judgements.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CORPUS = ROOT / "benchmarks" / ".work" / "real_apps"
PEERS = CORPUS / "peers"
BANDIT = "bandit==1.9.4"
ESLINT_PACKAGES = ("eslint@9.39.1", "eslint-plugin-security@4.1.0", "@typescript-eslint/parser@8.46.2")
ESLINT_CONFIG = """
import security from "eslint-plugin-security";
import tsParser from "@typescript-eslint/parser";
export default [
  { files: ["**/*.{js,mjs,cjs,jsx,ts,tsx}"],
    languageOptions: { parser: tsParser, parserOptions: { ecmaFeatures: { jsx: true } } },
    plugins: { security },
    rules: { ...security.configs.recommended.rules } },
];
"""
CODE_SUFFIXES = {"python": (".py",), "javascript": (".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".vue")}
MEDIUM_OR_ABOVE = {"medium", "high", "critical"}


@dataclass(frozen=True)
class Row:
    """One finding of one tool, reduced to what a judgement needs."""

    tool: str
    app: str
    path: str
    line: int
    rule: str
    severity: str
    message: str


def apps(languages: dict[str, list[str]] | None = None) -> list[tuple[str, str, Path]]:
    manifest = json.loads((CORPUS / "manifest.json").read_text())
    return sorted((entry["language"], name, CORPUS / entry["language"] / name) for name, entry in manifest.items())


def lines_of_code(folder: Path, language: str) -> int:
    total = 0
    for path in folder.rglob("*"):
        if path.suffix in CODE_SUFFIXES[language] and path.is_file() and "node_modules" not in path.parts:
            total += path.read_bytes().count(b"\n")
    return total


def setup_peers() -> None:
    bandit_venv = PEERS / "bandit-venv"
    if not (bandit_venv / "bin" / "bandit").exists():
        subprocess.run([sys.executable, "-m", "venv", str(bandit_venv)], check=True)
        subprocess.run([str(bandit_venv / "bin" / "pip"), "install", "--quiet", BANDIT], check=True)
    eslint_dir = PEERS / "eslint"
    if not (eslint_dir / "node_modules" / "eslint-plugin-security").exists():
        eslint_dir.mkdir(parents=True, exist_ok=True)
        (eslint_dir / "package.json").write_text('{"private": true, "type": "module"}')
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--loglevel=error", *ESLINT_PACKAGES],
                       cwd=eslint_dir, check=True)
    (eslint_dir / "eslint.config.js").write_text(ESLINT_CONFIG)


def run_bastion(executable: str, app: str, folder: Path, extra: tuple[str, ...] = ()) -> list[Row]:
    out = subprocess.run([executable, "scan", str(folder), "--format", "json", "--no-cache", "--fail-on", "never",
                          *extra], capture_output=True, text=True)
    if out.returncode not in (0, 1):
        raise RuntimeError(f"bastion failed on {app}: {out.stderr[-2000:]}")
    data = json.loads(out.stdout)
    return [Row("bastion", app, f["location"]["path"], f["location"]["line"], f["rule_id"], f["severity"],
                f["message"][:200]) for f in data["findings"]]


BANDIT_SEVERITY = {"HIGH": "high", "MEDIUM": "medium", "LOW": "low", "UNDEFINED": "info"}


def run_bandit(app: str, folder: Path) -> list[Row]:
    out = subprocess.run([str(PEERS / "bandit-venv" / "bin" / "bandit"), "-r", str(folder), "-f", "json", "-q"],
                         capture_output=True, text=True)
    data = json.loads(out.stdout or "{}")
    return [Row("bandit", app, str(Path(r["filename"]).relative_to(folder)), r["line_number"], r["test_id"],
                BANDIT_SEVERITY[r["issue_severity"]], r["issue_text"][:200]) for r in data.get("results", [])]


def run_eslint(app: str, folder: Path) -> list[Row]:
    """eslint-plugin-security's recommended rules; its rules are all warnings, counted as medium (no severity scale)."""
    eslint_dir = PEERS / "eslint"
    command = [str(eslint_dir / "node_modules" / ".bin" / "eslint"), "--no-ignore", "-c",
               str(eslint_dir / "eslint.config.js"), "-f", "json", "--ignore-pattern", "**/node_modules/**", "."]
    out = subprocess.run(command, capture_output=True, text=True, cwd=folder)
    results = json.loads(out.stdout or "[]")
    rows = []
    for result in results:
        for message in result["messages"]:
            if (message.get("ruleId") or "").startswith("security/"):
                rows.append(Row("eslint-security", app, str(Path(result["filePath"]).relative_to(folder)),
                                message["line"], message["ruleId"], "medium", message["message"][:200]))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--label", required=True, help="results/<label>: 'before' or 'after'")
    parser.add_argument("--bastion", default=str(ROOT / ".venv" / "bin" / "bastion"))
    parser.add_argument("--apps", nargs="*", help="only these apps")
    parser.add_argument("--no-peers", action="store_true", help="run Bastion only")
    parser.add_argument("--allow-stale-db", action="store_true",
                        help="pass --allow-stale-db to Bastion (an old local advisory database; dependency rules are not judged)")
    args = parser.parse_args()
    if not args.no_peers:
        setup_peers()
    target = CORPUS / "results" / args.label
    target.mkdir(parents=True, exist_ok=True)
    summary = []
    for language, app, folder in apps():
        if args.apps and app not in args.apps:
            continue
        extra = ("--allow-stale-db",) if args.allow_stale_db else ()
        tools = [("bastion", lambda: run_bastion(args.bastion, app, folder, extra))]
        if not args.no_peers:
            tools.append(("bandit", lambda: run_bandit(app, folder)) if language == "python"
                         else ("eslint-security", lambda: run_eslint(app, folder)))
        loc = lines_of_code(folder, language)
        for tool, run in tools:
            started = time.perf_counter()
            rows = run()
            elapsed = time.perf_counter() - started
            with (target / f"{tool}.jsonl").open("a") as handle:
                for row in rows:
                    handle.write(json.dumps(asdict(row)) + "\n")
            medium = sum(1 for r in rows if r.severity in MEDIUM_OR_ABOVE)
            summary.append({"app": app, "language": language, "tool": tool, "loc": loc, "findings": len(rows),
                            "medium_or_above": medium, "per_kloc": round(medium * 1000 / max(loc, 1), 2),
                            "seconds": round(elapsed, 1)})
            print(json.dumps(summary[-1]), flush=True)
    (target / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
