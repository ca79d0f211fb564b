"""How many times a cold scan analyses files, and its findings' digest: the same count for any checkout.

    .venv/bin/python benchmarks/python_sast/analyses.py TREE [--src CHECKOUT/src] [--engines python,javascript]
        [--findings OUT.json]

Runs ``bastion.scan`` (no cache, ``-j 2``) with the SAST engines' ``check_file`` counted in every worker
(each call appends one line to a temporary log, which the forked workers share), so a checkout's per-file
pass and project pass, or an imports-first pass, are counted the same way. Prints one JSON line: files
scanned, analyses per engine, findings and the sha256 of the findings in a stable order (traces included);
``--findings`` writes them for a diff. No timing: the CPU figures are speed.py's.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path

ENGINES = {"python": ("bastion.sast.python.engine", "PythonEngine"),
           "javascript": ("bastion.sast.javascript.engine", "JavaScriptEngine")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tree")
    parser.add_argument("--src", help="the src folder of the checkout to measure (default: this one)")
    parser.add_argument("--engines", default="python")
    parser.add_argument("--findings", help="write the findings (JSON, stable order) here")
    args = parser.parse_args()
    if args.src:
        sys.path.insert(0, str(Path(args.src).resolve()))
    import bastion
    from bastion.core.config import Config

    names = args.engines.split(",")
    with tempfile.TemporaryDirectory() as scratch:
        log = Path(scratch) / "analyses.log"
        for name in names:
            _count_checks(name, log)
        report = bastion.scan(args.tree, config=Config(fail_on=None), engines=names, jobs=2, use_cache=False)
        counted = log.read_text().split() if log.exists() else []
    findings = sorted((f.to_dict() for f in report.findings), key=lambda d: json.dumps(d, sort_keys=True))
    text = json.dumps(findings, sort_keys=True, indent=1)
    if args.findings:
        Path(args.findings).write_text(text)
    print(json.dumps({"tree": args.tree, "bastion": bastion.__file__, "files": report.stats.files_scanned,
                      "analyses": {name: counted.count(name) for name in names}, "findings": len(findings),
                      "sha256": hashlib.sha256(text.encode()).hexdigest()}))
    return 0


def _count_checks(name: str, log: Path) -> None:
    """Wrap the engine's ``check_file`` (before the workers fork, so they inherit it) to log one line per call."""
    module_name, class_name = ENGINES[name]
    engine = getattr(__import__(module_name, fromlist=[class_name]), class_name)
    check = engine.check_file

    def counted(self, ctx):  # type: ignore[no-untyped-def]
        fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, (name + "\n").encode())
        finally:
            os.close(fd)
        return check(self, ctx)

    engine.check_file = counted


if __name__ == "__main__":
    raise SystemExit(main())
