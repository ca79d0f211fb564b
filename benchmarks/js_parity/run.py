"""The JavaScript rules added for issue 13 (one weakness, one rule id in both languages) on real packages.

    python benchmarks/js_parity/run.py [--work DIR] [--round 2]

Each package is fetched at a pinned version with `npm pack` (through benchmarks/real_apps/fetch.py's download and
unpack: never installed or run), its archive's sha256 printed, and scanned by the JavaScript engine with only the
rules this change added, so every finding printed is one a reviewer judges in RESULTS.md. `--round 2` scans with the
rules ported in the second round instead (branch precjs5: CSRF, authentication, template escaping, body limits,
debuggers on every interface).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks" / "real_apps"))
from fetch import App, download, unpack  # noqa: E402 - the corpus tool's own fetching

PACKAGES = ["parse-server@7.3.0", "@node-red/runtime@4.0.5", "@node-red/editor-api@4.0.5", "@node-red/editor-api@5.0.7",
            "thelounge@4.5.2", "@actual-app/sync-server@26.9.0", "umami@2.10.0", "ghost@5.96.0"]
RULES = ["ldap-injection", "xpath-injection", "unsafe-reflection", "static-iv", "static-salt", "weak-key-size", "weak-rsa-padding",
         "weak-tls-version", "jwt-without-expiry", "permissive-file-permissions", "insecure-temp-file", "archive-path-traversal",
         "mass-assignment", "missing-timeout", "secret-in-url", "cleartext-protocol", "ssh-host-key-unverified",
         "sensitive-data-logged", "plaintext-password-storage", "debug-mode-enabled"]
ROUND_2 = ["csrf-disabled", "missing-authentication", "template-autoescape-disabled", "unbounded-read", "bind-all-interfaces"]


def scan(folder: Path, selected: list[str]) -> list[dict]:
    rules = [arg for rule in selected for arg in ("--rule", rule)]
    done = subprocess.run([sys.executable, "-m", "bastion", "scan", str(folder), "--engine", "javascript", *rules, "--no-cache",
                           "--fail-on", "never", "--min-severity", "info", "-f", "json", "-o", "-", "--no-progress"],
                          check=True, capture_output=True, text=True)
    return json.loads(done.stdout)["findings"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=None, help="folder for the archives (default: a temporary one)")
    parser.add_argument("--round", type=int, choices=(1, 2), default=1, help="which round of ported rules to scan with")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch_dir:
        work = args.work or Path(scratch_dir)
        for spec in PACKAGES:
            name = spec.rsplit("@", 1)[0].strip("@").replace("/", "-") + "-" + spec.rsplit("@", 1)[1]
            fetched = work / "archives" / name
            fetched.mkdir(parents=True, exist_ok=True)
            archive = next(fetched.iterdir(), None) or download(App(name, spec, "npm", "", ""), fetched)
            target = work / "code" / name
            if not target.exists():
                target.mkdir(parents=True)
                unpack(archive, target)
            print(f"== {spec} sha256 {hashlib.sha256(archive.read_bytes()).hexdigest()}")
            for finding in scan(target, RULES if args.round == 1 else ROUND_2):
                where = finding["location"]
                print(f"{finding['rule_id']}\t{finding['severity']}\t{finding['confidence']}\t{where['path']}:{where['line']}\t{finding['message']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
