"""Score Bastion revisions on the frozen corpus without a process start-up per case: accuracy only, no timing.

``run.py`` starts one ``bastion scan`` process per case and tool, which is what
a user runs and what its time columns measure; on a shared machine under heavy
load that costs more than the analyses themselves. This variant runs the same
command line (``scan . -f json --no-cache -j 1 --fail-on never``) through the
CLI's ``main()`` inside one process per revision, in a copy of each case folder
alone, and judges the JSON reports with ``run.py``'s own code (same matching,
same CWE families, same tables). Findings are identical to ``run.py``'s; the
time table is left out (a start-up shared by all cases measures nothing).

    # each revision's report JSON, the revision's own bastion importable from PYTHONPATH:
    PYTHONPATH=<checkout>/src python run_inprocess.py scan --label before --out /tmp/eval
    # then the tables, from the folders of the revisions, first one first:
    python run_inprocess.py report --out /tmp/eval --name taint4 before after
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import importlib.util
import io
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _run_module():
    spec = importlib.util.spec_from_file_location("taint_eval_run", HERE / "run.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules["taint_eval_run"] = module
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def scan(label: str, out: Path, part: str) -> None:
    """Every case's JSON report by the bastion this interpreter imports, to ``out/<label>/<case>.json``."""
    from bastion import __version__
    from bastion.interfaces.cli import main as cli

    run = _run_module()
    cases = run.load_cases(HERE / part)
    folder = out / label
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "version.txt").write_text(f"bastion {__version__} ({Path(cli.__code__.co_filename).parents[3]})\n")
    here = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="taint-eval-") as scratch:
        for number, case in enumerate(cases, 1):
            case_dir = Path(scratch) / case.id
            shutil.copytree(HERE / part / case.id, case_dir)
            stdout = io.StringIO()
            os.chdir(case_dir)
            try:
                with contextlib.redirect_stdout(stdout):
                    code = cli(["scan", ".", "-f", "json", "--no-cache", "-j", "1", "--fail-on", "never"])
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 2
            finally:
                os.chdir(here)
            (folder / f"{case.id}.json").write_text(json.dumps({"returncode": code, "stdout": stdout.getvalue()}))
            if number % 25 == 0 or number == len(cases):
                print(f"{label}: {number}/{len(cases)} cases", file=sys.stderr, flush=True)


def report(out: Path, labels: list[str], name: str, part: str) -> Path:
    """The tables of ``run.py`` for the revisions scanned into ``out``, in the order given."""
    run = _run_module()
    digest_ok = run.digest.main(["--part", part]) == 0
    recorded, _ = run.digest.read_manifest(run.digest.MANIFESTS[part])
    cases = run.load_cases(HERE / part)
    results, verdicts = [], {}
    for label in labels:
        folder = out / label
        version = (folder / "version.txt").read_text().strip()
        result = run.ToolResult(f"bastion [{label}]", version, frozenset({"python", "javascript", "typescript"}))
        verdicts[result.name] = {}
        for case in cases:
            data = json.loads((folder / f"{case.id}.json").read_text())
            findings, error = run.parse_bastion(run.Measured(data["returncode"], data["stdout"], "", 0.0, 0.0, 0))
            verdicts[result.name][case.id] = run.judge(case, findings, error)
        results.append(result)
    meta = {
        "name": name, "part": part, "digest": recorded,
        "digest_status": "verified against MANIFEST" if digest_ok else "DOES NOT MATCH MANIFEST",
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "command": "python benchmarks/taint_eval/run_inprocess.py " + " ".join(sys.argv[1:]),
        "cases": len(cases), "machine_cpus": os.cpu_count(),
    }  # fmt: skip
    text = run.markdown(meta, results, verdicts, cases)
    path = out / f"RESULTS-{name}.md"
    path.write_text(text + "\n", encoding="utf-8")
    (out / f"results-{name}.json").write_text(json.dumps(run.as_json(meta, results, verdicts), indent=1) + "\n")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    one = sub.add_parser("scan", help="scan every case with the bastion this interpreter imports")
    one.add_argument("--label", required=True)
    two = sub.add_parser("report", help="judge the scanned revisions and write RESULTS-<name>.md")
    two.add_argument("labels", nargs="+")
    two.add_argument("--name", required=True)
    for p in (one, two):
        p.add_argument("--out", type=Path, required=True)
        p.add_argument("--part", default="corpus")
    args = parser.parse_args(argv)
    if args.command == "scan":
        scan(args.label, args.out, args.part)
    else:
        print(report(args.out, args.labels, args.name, args.part))
    return 0


if __name__ == "__main__":
    sys.exit(main())
