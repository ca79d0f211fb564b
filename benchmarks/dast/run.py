"""Benchmark `bastion dast` against schemathesis on the deliberately vulnerable test APIs and their fixed twins.

    python benchmarks/dast/run.py [--json results.json] [--max-examples 50]

For each app (Flask, FastAPI, Express; tests/fixtures/dast) the vulnerable build and its fixed twin are started
on 127.0.0.1, then each tool runs as a child process at the same `nice` level:

- Bastion: recall on the planted flaws (tests/dast/expected.py), findings beyond them (listed, for judging by
  hand), false alarms on the twin (every finding there), requests sent, wall and CPU time, peak memory; and
  recall again with no spec at all, the routes taken from the app's source file (`--routes-from`).
- schemathesis alone, with all its own checks, pinned (SCHEMATHESIS below) in a venv under the user cache
  (~/.cache/bastion-bench), never a Bastion dependency. Its checks look for conformance failures (5xx,
  schema violations), not named vulnerabilities, so its "recall" is generous: a planted flaw counts as found
  when schemathesis reports any failure on the flaw's operation; every failure on a twin is a false alarm.

The frozen ground truth is the sha256 of tests/dast/expected.py and the app sources, printed with the results.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.dast.apps import APPS, AUTH, running  # noqa: E402
from tests.dast.expected import EXPECTED  # noqa: E402

SCHEMATHESIS = "schemathesis==4.32.5"
NICE = 5


def digest() -> str:
    files = [ROOT / "tests/dast/expected.py", *sorted(p for p in APPS.rglob("*") if p.is_file()
                                                     and "node_modules" not in p.parts)]
    h = hashlib.sha256()
    for path in files:
        h.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def measured(cmd: list[str]) -> dict:
    """Run ``cmd`` niced; wall, CPU (user+sys) and peak RSS of that process alone (os.wait4)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        process = subprocess.Popen(["nice", "-n", str(NICE), *cmd], stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.monotonic() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024,
                "returncode": process.returncode, "stderr": err.read().decode(errors="replace")[-2000:]}


SOURCES = {"flask": APPS / "flask_app.py", "fastapi": APPS / "fastapi_app.py", "express": APPS / "express" / "app.js"}


def run_bastion(app: str, url: str, routes_from: bool = False) -> dict:
    """Bastion on ``url``: with the app's spec, or with ``--routes-from`` a copy of its source file alone."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        cmd = [str(ROOT / ".venv/bin/bastion"), "dast", "--target", url, "--no-progress", "-f", "json", "-o", str(out)]
        if routes_from:
            tree = Path(tmp) / "src"
            tree.mkdir()
            shutil.copy(SOURCES[app], tree / SOURCES[app].name)
            cmd += ["--routes-from", str(tree)]
        if AUTH[app]:
            cmd += ["--auth", str(AUTH[app])]
        result = measured(cmd)
        if not out.exists():
            raise SystemExit(f"bastion failed on {app}: {result['stderr']}")
        report = json.loads(out.read_text())
    found = set()
    for f in report["findings"]:
        template = f["endpoint"]["url"].split("://", 1)[1].partition("/")[2]
        found.add((f["rule_id"], f"{f['endpoint']['method']} /{template}", f["endpoint"].get("parameter")))
    summary = result["stderr"].strip().splitlines()[-1] if result["stderr"].strip() else ""
    requests = int(summary.split("dast: ", 1)[1].split(" requests")[0]) if "dast: " in summary else None
    return {**{k: result[k] for k in ("wall", "cpu", "peak_mb")}, "found": found, "requests": requests}


def schemathesis_bin() -> Path:
    home = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "bastion-bench" / SCHEMATHESIS.replace("==", "-")
    binary = home / "bin" / "schemathesis"
    if not binary.exists():
        venv.create(home, with_pip=True)
        subprocess.run([str(home / "bin/pip"), "install", "--quiet", "--disable-pip-version-check", SCHEMATHESIS], check=True)
    return binary


def run_schemathesis(app: str, url: str, max_examples: int) -> dict:
    cmd = [str(schemathesis_bin()), "run", f"{url}/openapi.json", "--checks", "all", "-n", str(max_examples),
           "--request-timeout", "10", "--seed", "1"]
    if AUTH[app]:  # schemathesis gets the same first identity Bastion uses, logged in by the same request
        from bastion.dast.auth import load_auth

        login = load_auth(str(AUTH[app])).identities[0].login
        token = httpx.post(url + login.path, json=login.json).json()[login.token_from[1]]
        cmd += ["-H", f"Authorization: Bearer {token}"]
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "st.json"
        result = measured([*cmd, "--report", "json", "--report-json-path", str(report)])
        data = json.loads(report.read_text()) if report.exists() else {"failures": []}
    flagged = {op for failure in data.get("failures", []) for op in failure.get("operations", [])}
    kinds = sorted({f"{f['code']} {f['title']}" for f in data.get("failures", [])})
    requests = data.get("test_cases", {}).get("generated")
    return {**{k: result[k] for k in ("wall", "cpu", "peak_mb")}, "flagged": flagged, "kinds": kinds,
            "failures": sum(f.get("count", 0) for f in data.get("failures", [])), "test_cases": requests}


def operation_of(flaw: tuple) -> str:
    return flaw[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    parser.add_argument("--max-examples", type=int, default=50, help="schemathesis examples per operation (default 50)")
    parser.add_argument("--apps", nargs="*", default=list(EXPECTED))
    args = parser.parse_args()
    rows = []
    for app in args.apps:
        expected = EXPECTED[app]
        with running(app) as url:
            bastion_vuln = run_bastion(app, url)
        with running(app) as url:
            from_source = run_bastion(app, url, routes_from=True)
        with running(app) as url:
            st_vuln = run_schemathesis(app, url, args.max_examples)
        with running(app, fixed=True) as url:
            bastion_fixed = run_bastion(app, url)
        with running(app, fixed=True) as url:
            st_fixed = run_schemathesis(app, url, args.max_examples)
        st_hits = {flaw for flaw in expected if operation_of(flaw) in st_vuln["flagged"]}
        rows.append({
            "app": app, "planted": len(expected),
            "bastion": {"recall": len(expected & bastion_vuln["found"]), "missed": sorted(map(list, expected - bastion_vuln["found"])),
                        "beyond_planted": sorted(map(list, bastion_vuln["found"] - expected)),
                        "false_alarms_on_twin": sorted(map(list, bastion_fixed["found"])),
                        "requests": bastion_vuln["requests"], "twin_requests": bastion_fixed["requests"],
                        "wall": round(bastion_vuln["wall"], 1), "cpu": round(bastion_vuln["cpu"], 1),
                        "recall_routes_from_source": len(expected & from_source["found"]),
                        "missed_routes_from_source": sorted(map(list, expected - from_source["found"])),
                        "twin_wall": round(bastion_fixed["wall"], 1), "peak_mb": round(bastion_vuln["peak_mb"])},
            "schemathesis": {"recall_generous": len(st_hits), "failure_kinds": st_vuln["kinds"],
                             "failures": st_vuln["failures"], "test_cases": st_vuln["test_cases"],
                             "false_alarms_on_twin": st_fixed["failures"], "twin_failure_kinds": st_fixed["kinds"],
                             "wall": round(st_vuln["wall"], 1), "cpu": round(st_vuln["cpu"], 1),
                             "twin_wall": round(st_fixed["wall"], 1), "peak_mb": round(st_vuln["peak_mb"])},
        })
    print(f"ground truth sha256 {digest()}; {SCHEMATHESIS}; nice {NICE}")
    print("| app | planted | Bastion found | Bastion found, routes from source |  Bastion twin FPs | Bastion requests | Bastion wall/CPU s | schemathesis ops flagged | schemathesis twin failures | schemathesis test cases | schemathesis wall/CPU s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        b, s = r["bastion"], r["schemathesis"]
        print(f"| {r['app']} | {r['planted']} | {b['recall']} | {b['recall_routes_from_source']} | {len(b['false_alarms_on_twin'])} | {b['requests']} | "
              f"{b['wall']}/{b['cpu']} | {s['recall_generous']} | {s['false_alarms_on_twin']} | {s['test_cases']} | {s['wall']}/{s['cpu']} |")
    for r in rows:
        print(f"\n{r['app']}: Bastion missed {r['bastion']['missed']} (from source: {r['bastion']['missed_routes_from_source']}); beyond planted {r['bastion']['beyond_planted']}; "
              f"twin FPs {r['bastion']['false_alarms_on_twin']}\n  schemathesis kinds {r['schemathesis']['failure_kinds']}; "
              f"on twin {r['schemathesis']['twin_failure_kinds']}")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
