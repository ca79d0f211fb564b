"""Bastion (one or two revisions), Bandit and eslint-plugin-security on the frozen taint evaluation corpus, in one run.

    .venv/bin/python benchmarks/taint_eval/run.py --before 5b57aad                      # Bastion at main + peers
    .venv/bin/python benchmarks/taint_eval/run.py --before 5b57aad --after taint        # before and after, same run
    .venv/bin/python benchmarks/taint_eval/run.py --before 5b57aad --after .venv/bin/bastion --name after
    .venv/bin/python benchmarks/taint_eval/run.py --part corpus2 ...                    # the part added after the freeze

A revision is built once into benchmarks/.work/taint_eval/ (gitignored): a
detached ``git worktree`` of it with its own venv from its requirements.lock.
A path to a ``bastion`` executable is used as it is. Bandit (pinned) gets its
own venv there, eslint with eslint-plugin-security (pinned) its own npm folder.

Every case is a small project of its own: it is copied out of the repository
to a temporary folder and each tool scans that folder alone (a tool could
otherwise join one case's helper to another's caller). For each case every
applicable tool runs in turn, under ``nice``, so machine load falls on all of
them alike; wall and CPU time and peak memory are summed per tool from the
operating system's accounting of each child process.

The corpus's digest is checked first; a corpus that is not the frozen one is
refused. How cases are judged is in README.md beside this script.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import venv
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
WORK = ROOT / "benchmarks" / ".work" / "taint_eval"
sys.path.insert(0, str(HERE))

import digest  # noqa: E402 - the sibling script that checks the freeze

BANDIT_VERSION = "1.9.4"
NPM_PACKAGES = ("eslint@10.16.0", "eslint-plugin-security@4.1.0", "@typescript-eslint/parser@8.74.0", "typescript@5.9.3")
NICE = ("nice", "-n", "10")
SEVERITY_RANK = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}

#: CWEs that name the same weakness for judging: a finding matches a case when
#: the families of their CWEs meet (tools label the same flaw with a parent or
#: sibling id: path traversal 22/23/36, weak hash 327/328/916, ...).
CWE_FAMILIES: tuple[frozenset[int], ...] = tuple(frozenset(f) for f in (
    {22, 23, 29, 36, 73}, {77, 78, 88}, {89, 564}, {943}, {90}, {643}, {94, 95}, {1336}, {502}, {611, 776},
    {918}, {601}, {79, 80, 116}, {1333, 185, 625, 730}, {326, 327, 328, 916, 759, 760}, {330, 338}, {259, 321, 798},
    {200, 209, 497}, {93, 117}, {532}, {113}, {276, 732}, {295, 297}, {377, 378, 379}, {208}, {400, 409, 770, 1088},
    {915, 1321},
))  # fmt: skip

#: Bandit test id -> the CWEs of the weakness it reports, added to Bandit's own
#: ``issue_cwe`` (Bandit files eval/exec under CWE-78 and urlopen under CWE-22;
#: the peer gets the benefit of the doubt).
BANDIT_CWES: dict[str, tuple[int, ...]] = {
    "B102": (94, 95), "B307": (94, 95), "B301": (502,), "B302": (502,), "B403": (502,), "B506": (502,), "B614": (502,),
    "B303": (327, 328), "B324": (327, 328), "B304": (327,), "B305": (327,), "B413": (327,), "B505": (326,),
    "B601": (78,), "B602": (78,), "B603": (78,), "B604": (78,), "B605": (78,), "B606": (78,), "B607": (78,), "B609": (78,),
    "B608": (89,), "B610": (89,), "B611": (89,), "B501": (295,), "B323": (295,), "B507": (295,),
    "B108": (377,), "B306": (377,), "B103": (732,), "B311": (330, 338), "B113": (400,),
    "B701": (79, 1336), "B702": (79, 1336), "B703": (79,), "B308": (79,), "B704": (79,),
    "B313": (611,), "B314": (611,), "B315": (611,), "B316": (611,), "B317": (611,), "B318": (611,), "B319": (611,),
    "B320": (611,), "B405": (611,), "B406": (611,), "B407": (611,), "B408": (611,), "B409": (611,), "B410": (611,),
    "B310": (918,), "B105": (798,), "B106": (798,), "B107": (798,), "B202": (22,),
}  # fmt: skip

#: eslint-plugin-security rule -> CWEs (the plugin labels none; these are its rules' documented weaknesses).
ESLINT_CWES: dict[str, tuple[int, ...]] = {
    "security/detect-child-process": (78,), "security/detect-eval-with-expression": (94, 95),
    "security/detect-non-literal-fs-filename": (22,), "security/detect-non-literal-regexp": (1333, 625),
    "security/detect-unsafe-regex": (1333,), "security/detect-non-literal-require": (94, 829),
    "security/detect-object-injection": (915, 1321), "security/detect-possible-timing-attacks": (208,),
    "security/detect-pseudoRandomBytes": (338,), "security/detect-disable-mustache-escape": (79,),
    "security/detect-no-csrf-before-method-override": (352,), "security/detect-buffer-noassert": (119,),
    "security/detect-new-buffer": (119,), "security/detect-bidi-characters": (451,),
}  # fmt: skip

ESLINT_CONFIG = """\
import security from "eslint-plugin-security";
import tsParser from "@typescript-eslint/parser";

export default [
  {
    files: ["**/*.js", "**/*.cjs", "**/*.mjs", "**/*.jsx", "**/*.ts", "**/*.tsx"],
    languageOptions: { parser: tsParser, sourceType: "module", parserOptions: { ecmaFeatures: { jsx: true } } },
  },
  security.configs.recommended,
];
"""


def log(*parts: object) -> None:
    print(*parts, file=sys.stderr, flush=True)


# ------------------------------------------------------------------ data


@dataclass(frozen=True)
class Case:
    """One labelled program of the corpus (see corpus/cases.json)."""

    id: str
    language: str
    kind: str  # vulnerable | fixed | trap
    cwe: tuple[int, ...]
    rule: str | None
    sinks: tuple[tuple[str, int], ...]

    @property
    def group(self) -> str:
        return "python" if self.language == "python" else "js/ts"


@dataclass(frozen=True)
class Finding:
    """One finding of one tool in one case, reduced to what judging needs."""

    file: str
    line: int
    end_line: int
    rule: str
    cwe: frozenset[int]
    severity: str
    text: str

    def covers(self, file: str, line: int) -> bool:
        return self.file == file and self.line <= line <= max(self.end_line, self.line)

    def describe(self) -> str:
        cwes = ",".join(str(c) for c in sorted(self.cwe)) or "-"
        return f"{self.file}:{self.line} {self.rule} [{self.severity}, CWE {cwes}] {self.text}"


@dataclass(frozen=True)
class Measured:
    """A finished child process: its output and what the kernel accounted for it."""

    returncode: int
    stdout: str
    stderr: str
    wall: float
    cpu: float
    peak_rss_kib: int


@dataclass
class ToolResult:
    """Everything one tool produced over the corpus."""

    name: str
    version: str
    languages: frozenset[str]
    findings: dict[str, list[Finding]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    wall: float = 0.0
    cpu: float = 0.0
    peak_rss_kib: int = 0

    def add_time(self, run: Measured) -> None:
        self.wall += run.wall
        self.cpu += run.cpu
        self.peak_rss_kib = max(self.peak_rss_kib, run.peak_rss_kib)


@dataclass(frozen=True)
class Tool:
    """How to run one tool on one case folder and read its findings."""

    name: str
    version: str
    languages: frozenset[str]
    command: tuple[str, ...]
    parse: Callable[[Measured], tuple[list[Finding], str | None]]


def family(cwes: Iterable[int]) -> frozenset[int]:
    out = set(cwes)
    for fam in CWE_FAMILIES:
        if fam & out:
            out |= fam
    return frozenset(out)


def load_cases(part: Path) -> list[Case]:
    data = json.loads((part / "cases.json").read_text(encoding="utf-8"))
    return [
        Case(c["id"], c["language"], c["kind"], tuple(c["cwe"]), c.get("rule"), tuple((s["file"], s["line"]) for s in c["sinks"]))
        for c in data["cases"]
    ]


# ------------------------------------------------------------------ running


def measure(command: Iterable[str], cwd: Path) -> Measured:
    """Run a command and account its own wall time, CPU time (user + system) and peak resident memory."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(list(command), cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Measured(
            proc.returncode, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
            wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss,
        )  # fmt: skip


def run_checked(command: list[str], cwd: Path | None = None) -> str:
    """A setup step: its output, or a clear failure naming the step (setup never fails silently)."""
    proc = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"setup step failed ({proc.returncode}): {' '.join(command)}\n{proc.stderr[-2000:]}")
    return proc.stdout


# ------------------------------------------------------------------ tools


def parse_bastion(run: Measured) -> tuple[list[Finding], str | None]:
    try:
        data = json.loads(run.stdout)
    except json.JSONDecodeError:
        return [], f"exit {run.returncode}, no JSON report: {run.stderr.strip()[-300:]}"
    findings = [
        Finding(
            f["location"]["path"], f["location"]["line"], f["location"].get("end_line") or f["location"]["line"],
            f["rule_id"], frozenset(f.get("cwe") or ()), f["severity"], f"{f['message']} (confidence {f.get('confidence')})",
        )  # fmt: skip
        for f in data.get("findings", [])
    ]
    errors = [n["message"] for n in data.get("notes", []) if n.get("kind") == "error"]
    if run.returncode != 0:
        errors.append(f"exit {run.returncode}")
    return findings, "; ".join(errors) or None


_QUOTED_LITERAL = re.compile(r"(hardcoded password: ')([^']{0,4})[^']*(')", re.IGNORECASE)


def redact(text: str) -> str:
    """Bandit quotes the hard-coded secret it found in full: keep four characters (our reports never carry a secret)."""
    return _QUOTED_LITERAL.sub(lambda m: f"{m.group(1)}{m.group(2)}…{m.group(3)}", text)


def parse_bandit(run: Measured) -> tuple[list[Finding], str | None]:
    try:
        data = json.loads(run.stdout)
    except json.JSONDecodeError:
        return [], f"exit {run.returncode}, no JSON report: {run.stderr.strip()[-300:]}"
    findings = []
    for r in data.get("results", []):
        lines = r.get("line_range") or [r["line_number"]]
        own = (r.get("issue_cwe") or {}).get("id")
        cwes = set(BANDIT_CWES.get(r["test_id"], ())) | ({own} if own else set())
        findings.append(Finding(
            r["filename"].removeprefix("./"), r["line_number"], max(lines), f"{r['test_id']} {r['test_name']}",
            frozenset(cwes), r["issue_severity"].lower(), f"{redact(r['issue_text'])} (confidence {r['issue_confidence'].lower()})",
        ))  # fmt: skip
    errors = [f"{e.get('filename')}: {e.get('reason')}" for e in data.get("errors", [])]
    if run.returncode not in (0, 1):
        errors.append(f"exit {run.returncode}")
    return findings, "; ".join(errors) or None


def parse_eslint(run: Measured) -> tuple[list[Finding], str | None]:
    try:
        data = json.loads(run.stdout)
    except json.JSONDecodeError:
        return [], f"exit {run.returncode}, no JSON report: {run.stderr.strip()[-300:]}"
    findings, errors = [], []
    for report in data:
        for m in report["messages"]:
            name = Path(report["filePath"]).as_posix()
            if m.get("fatal") or not m.get("ruleId"):
                errors.append(f"{Path(name).name}: {m.get('message')}")
                continue
            findings.append(Finding(
                name, m["line"], m.get("endLine") or m["line"], m["ruleId"], frozenset(ESLINT_CWES.get(m["ruleId"], ())),
                "medium" if m["severity"] == 1 else "high", m["message"],
            ))  # fmt: skip
    if run.returncode not in (0, 1):
        errors.append(f"exit {run.returncode}")
    return findings, "; ".join(errors) or None


def relative_eslint_paths(findings: list[Finding], case_dir: Path) -> list[Finding]:
    """eslint reports absolute paths; judging compares paths relative to the case."""
    base = case_dir.resolve().as_posix() + "/"
    return [dataclasses.replace(f, file=f.file.removeprefix(base)) for f in findings]


def bastion_executable(spec: str) -> tuple[Path, str]:
    """A path to a bastion executable as given, or one built from a git revision (cached by commit)."""
    given = Path(spec)
    if given.is_file() and os.access(given, os.X_OK):
        return given.resolve(), f"bastion ({spec})"
    sha = run_checked(["git", "rev-parse", "--verify", "--end-of-options", f"{spec}^{{commit}}"], cwd=ROOT).strip()
    home = WORK / f"bastion-{sha[:12]}"
    executable = home / "venv" / "bin" / "bastion"
    if not executable.exists():
        source = home / "src"
        if not source.exists():
            log(f"checking out {spec} ({sha[:12]}) into {source} ...")
            run_checked(["git", "worktree", "prune"], cwd=ROOT)
            run_checked(["git", "-c", "core.hooksPath=/dev/null", "worktree", "add", "--detach", str(source), sha], cwd=ROOT)
        log(f"building a venv for {sha[:12]} ...")
        venv.create(home / "venv", with_pip=True)
        pip = [str(home / "venv" / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps"]
        run_checked([*pip, "--require-hashes", "-r", str(source / "requirements.lock")])
        run_checked([*pip, "--no-build-isolation", "-e", str(source)])
    return executable, f"bastion@{sha[:7]}"


def bastion_tool(spec: str, label: str) -> Tool:
    executable, name = bastion_executable(spec)
    version = run_checked([str(executable), "--version"]).strip()
    command = (*NICE, str(executable), "scan", ".", "-f", "json", "--no-cache", "--no-progress", "-j", "1", "--fail-on", "never")
    return Tool(f"{name} [{label}]", version, frozenset({"python", "javascript", "typescript"}), command, parse_bastion)


def bandit_tool() -> Tool:
    home = WORK / f"bandit-{BANDIT_VERSION}"
    executable = home / "bin" / "bandit"
    if not executable.exists():
        log(f"installing bandit=={BANDIT_VERSION} ...")
        venv.create(home, with_pip=True)
        run_checked([str(home / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", f"bandit=={BANDIT_VERSION}"])
    version = run_checked([str(executable), "--version"]).splitlines()[0].strip()
    command = (*NICE, str(executable), "-r", ".", "-f", "json", "-q")
    return Tool("bandit", version, frozenset({"python"}), command, parse_bandit)


def eslint_tool() -> Tool:
    home = WORK / "eslint"
    marker = home / ".installed"
    if not marker.exists() or marker.read_text() != "\n".join(NPM_PACKAGES):
        log("installing " + " ".join(NPM_PACKAGES) + " ...")
        home.mkdir(parents=True, exist_ok=True)
        (home / "package.json").write_text('{"name": "taint-eval-eslint", "private": true, "type": "module"}\n')
        run_checked(["npm", "install", "--save-exact", "--no-audit", "--no-fund", "--loglevel=error", *NPM_PACKAGES], cwd=home)
        marker.write_text("\n".join(NPM_PACKAGES))
    (home / "eslint.config.mjs").write_text(ESLINT_CONFIG)
    executable = home / "node_modules" / ".bin" / "eslint"
    plugin = json.loads((home / "node_modules" / "eslint-plugin-security" / "package.json").read_text())["version"]
    version = f"eslint {run_checked([str(executable), '--version']).strip()} + eslint-plugin-security {plugin}"
    command = (*NICE, str(executable), "--no-config-lookup", "-c", str(home / "eslint.config.mjs"), "-f", "json", ".")
    return Tool("eslint-plugin-security", version, frozenset({"javascript", "typescript"}), command, parse_eslint)


# ------------------------------------------------------------------ judging


@dataclass(frozen=True)
class Verdict:
    """How one tool did on one case (README.md, "How cases are judged")."""

    case: Case
    findings: tuple[Finding, ...]
    at_sink: bool  # vulnerable: a finding of a matching CWE whose lines cover a labelled sink line
    cwe_in_file: bool  # vulnerable: a finding of a matching CWE anywhere in the case
    class_alarm: bool  # fixed / trap: a finding of a matching CWE at medium severity or above
    error: str | None

    @property
    def any_finding(self) -> bool:
        return bool(self.findings)

    def alarms(self) -> list[Finding]:
        """The findings that make this a class alarm: a matching CWE at medium severity or above."""
        wanted = family(self.case.cwe)
        return [f for f in self.findings if f.cwe & wanted and SEVERITY_RANK.get(f.severity, 0) >= SEVERITY_RANK["medium"]]


def judge(case: Case, findings: list[Finding], error: str | None) -> Verdict:
    wanted = family(case.cwe)
    matching = [f for f in findings if f.cwe & wanted]
    at_sink = any(f.covers(file, line) for f in matching for file, line in case.sinks)
    alarm = any(SEVERITY_RANK.get(f.severity, 0) >= SEVERITY_RANK["medium"] for f in matching)
    return Verdict(case, tuple(findings), at_sink, bool(matching), alarm and case.kind != "vulnerable", error)


def with_confidence(verdicts: dict[str, Verdict], allowed: frozenset[str]) -> dict[str, Verdict]:
    """The same verdicts if only Bastion findings of the allowed confidence levels were kept (--min-confidence)."""
    out = {}
    for cid, v in verdicts.items():
        kept = [f for f in v.findings if f.text.rsplit("(confidence ", 1)[-1].rstrip(")") in allowed]
        out[cid] = judge(v.case, kept, v.error)
    return out


def tally(verdicts: Iterable[Verdict], by_id: dict[str, Verdict]) -> dict[str, int]:
    t = dict.fromkeys(("vulnerable", "at_sink", "cwe_in_file", "any_in_file", "fixed", "fixed_alarm", "fixed_any",
                       "trap", "trap_alarm", "trap_any", "pairs", "pairs_separated", "errors"), 0)  # fmt: skip
    for v in verdicts:
        kind = v.case.kind
        t[kind] += 1
        t["errors"] += v.error is not None
        if kind == "vulnerable":
            t["at_sink"] += v.at_sink
            t["cwe_in_file"] += v.cwe_in_file
            t["any_in_file"] += v.any_finding
            twin = by_id.get(v.case.id + "-fix")
            if twin is not None:
                t["pairs"] += 1
                t["pairs_separated"] += v.at_sink and not twin.class_alarm
        else:
            t[f"{kind}_alarm"] += v.class_alarm
            t[f"{kind}_any"] += v.any_finding
    return t


def pct(num: int, den: int) -> str:
    return f"{num}/{den} ({100 * num / den:.0f}%)" if den else "–"


CWE_NAMES = {
    22: "path traversal", 78: "OS command", 79: "XSS", 89: "SQL", 90: "LDAP", 94: "code injection", 113: "header injection",
    117: "log injection", 208: "timing compare", 209: "error exposure", 295: "cert validation", 327: "weak cipher",
    328: "weak hash", 338: "weak random", 377: "temp file", 400: "missing timeout", 409: "decompression bomb",
    502: "deserialization", 532: "secrets in logs", 601: "open redirect", 611: "XXE", 643: "XPath", 732: "permissions",
    770: "unbounded read", 798: "hard-coded credentials", 916: "weak password hash", 918: "SSRF", 943: "NoSQL",
    1321: "prototype pollution", 1333: "ReDoS / regex injection", 1336: "template injection",
}  # fmt: skip


# ------------------------------------------------------------------ report


def summary_table(results: list[ToolResult], verdicts: dict[str, dict[str, Verdict]], group: str | None) -> list[str]:
    head = ("| tool | recall: CWE at sink | CWE in file | any finding in file | twins: class alarm (≥ medium) | twins: any finding "
            "| traps: class alarm (≥ medium) | traps: any finding | pairs separated | errors |")  # fmt: skip
    rows = [head, "|" + "---|" * 10]
    for r in results:
        chosen = [v for v in verdicts[r.name].values() if group is None or v.case.group == group]
        if not chosen:
            continue
        t = tally(chosen, verdicts[r.name])
        rows.append(
            f"| {r.name} | {pct(t['at_sink'], t['vulnerable'])} | {pct(t['cwe_in_file'], t['vulnerable'])} "
            f"| {pct(t['any_in_file'], t['vulnerable'])} | {pct(t['fixed_alarm'], t['fixed'])} | {pct(t['fixed_any'], t['fixed'])} "
            f"| {pct(t['trap_alarm'], t['trap'])} | {pct(t['trap_any'], t['trap'])} | {pct(t['pairs_separated'], t['pairs'])} | {t['errors']} |"
        )
    return rows


def per_cwe_table(results: list[ToolResult], verdicts: dict[str, dict[str, Verdict]], cases: list[Case]) -> list[str]:
    classes = sorted({c.cwe[0] for c in cases})
    rows = ["| CWE | cases | " + " | ".join(f"{r.name}: recall · twin FA · trap FA" for r in results) + " |",
            "|---|---|" + "---|" * len(results)]  # fmt: skip
    for cwe in classes:
        cells = []
        for r in results:
            chosen = [v for v in verdicts[r.name].values() if v.case.cwe[0] == cwe]
            if not chosen:
                cells.append("n/a")
                continue
            t = tally(chosen, verdicts[r.name])
            cells.append(f"{t['at_sink']}/{t['vulnerable']} · {t['fixed_alarm']}/{t['fixed']} · {t['trap_alarm']}/{t['trap']}")
        count = sum(c.cwe[0] == cwe for c in cases)
        rows.append(f"| {cwe} {CWE_NAMES.get(cwe, '')} | {count} | " + " | ".join(cells) + " |")
    return rows


def time_table(results: list[ToolResult], verdicts: dict[str, dict[str, Verdict]]) -> list[str]:
    base = results[0]
    rows = ["| tool | version | cases run | wall s | CPU s | peak RSS MiB | wall / first | CPU / first |", "|---|---|---|---|---|---|---|---|"]
    for r in results:
        rows.append(
            f"| {r.name} | {r.version} | {len(verdicts[r.name])} | {r.wall:.1f} | {r.cpu:.1f} | {r.peak_rss_kib / 1024:.0f} "
            f"| {r.wall / base.wall:.2f} | {r.cpu / base.cpu:.2f} |"
            if base.wall and base.cpu
            else f"| {r.name} | {r.version} | {len(verdicts[r.name])} | {r.wall:.1f} | {r.cpu:.1f} | {r.peak_rss_kib / 1024:.0f} | – | – |"
        )
    return rows


def describe_all(findings: Iterable[Finding]) -> str:
    return "; ".join(f"`{f.describe()}`" for f in findings) or "no finding"


def case_lists(result: ToolResult, verdicts: dict[str, Verdict]) -> list[str]:
    """Misses and false alarms of one tool, by case id, with the findings' own text."""
    out = [f"### {result.name}", ""]
    misses = [v for v in verdicts.values() if v.case.kind == "vulnerable" and not v.at_sink]
    out.append(f"**Misses** ({len(misses)}: no finding of a matching CWE on the sink line)")
    out.append("")
    for v in misses:
        sinks = ", ".join(f"{f}:{n}" for f, n in v.case.sinks)
        cwes = ",".join(map(str, v.case.cwe))
        out.append(f"- `{v.case.id}` (CWE {cwes}, sink {sinks}): {describe_all(v.findings)}")
    for kind, title in (("fixed", "fixed twins"), ("trap", "traps")):
        alarms = [v for v in verdicts.values() if v.case.kind == kind and v.class_alarm]
        out += ["", f"**False alarms on {title}** ({len(alarms)}: a finding of the case's CWE class at medium or above)", ""]
        for v in alarms:
            out.append(f"- `{v.case.id}` (CWE {','.join(map(str, v.case.cwe))}): {describe_all(v.alarms())}")
        other = [v for v in verdicts.values() if v.case.kind == kind and v.any_finding and not v.class_alarm]
        if other:
            out += ["", f"<details><summary>Other findings on {title} ({len(other)} cases; not counted as class alarms)</summary>", ""]
            out += [f"- `{v.case.id}`: {describe_all(v.findings)}" for v in other]
            out += ["", "</details>"]
    errors = [v for v in verdicts.values() if v.error]
    if errors:
        out += ["", f"**Errors** ({len(errors)}: the tool could not fully analyse the case)", ""]
        out += [f"- `{v.case.id}`: {v.error}" for v in errors]
    return out + [""]


def markdown(meta: dict, results: list[ToolResult], verdicts: dict[str, dict[str, Verdict]], cases: list[Case]) -> str:
    kinds = {k: sum(c.kind == k for c in cases) for k in ("vulnerable", "fixed", "trap")}
    groups = {g: sum(c.group == g for c in cases) for g in ("python", "js/ts")}
    lines = [
        f"# Taint evaluation corpus: results ({meta['name']})",
        "",
        f"- Run: {meta['date']} with `{meta['command']}`",
        f"- Corpus: `{meta['part']}/`, {len(cases)} programs ({groups['python']} Python, {groups['js/ts']} JavaScript/TypeScript; "
        f"{kinds['vulnerable']} vulnerable, {kinds['fixed']} fixed twins, {kinds['trap']} traps), "
        f"digest `{meta['digest']}` ({meta['digest_status']})",
        "- Each tool scans each case folder alone, under `nice -n 10`, interleaved case by case. "
        "How a case is judged: README.md beside this file. Bandit runs on the Python cases only, eslint-plugin-security on the JS/TS cases only.",
        "",
        "## Summary",
        "",
    ]
    for title, group in (("Python", "python"), ("JavaScript / TypeScript", "js/ts"), ("All languages (Bastion only)", None)):
        shown = [r for r in results if group is not None or r.languages >= {"python", "javascript"}]
        lines += [f"### {title}", "", *summary_table(shown, verdicts, group), ""]
    bastions = [r for r in results if r.name.startswith("bastion")]
    if bastions:
        lines += ["### Bastion by confidence (all languages)", "",
                  "The same findings filtered as `--min-confidence` would: recall at the sink and class alarms.", "",
                  "| tool | kept | recall: CWE at sink | twins: class alarm | traps: class alarm |", "|---|---|---|---|---|"]  # fmt: skip
        for r in bastions:
            for label, allowed in (("all", None), ("medium and high", frozenset({"medium", "high"})), ("high", frozenset({"high"}))):
                chosen = verdicts[r.name] if allowed is None else with_confidence(verdicts[r.name], allowed)
                t = tally(chosen.values(), chosen)
                lines.append(f"| {r.name} | {label} | {pct(t['at_sink'], t['vulnerable'])} | {pct(t['fixed_alarm'], t['fixed'])} | {pct(t['trap_alarm'], t['trap'])} |")
        lines.append("")
    lines += ["## Time (sum over the per-case runs, process start-up included)", "", *time_table(results, verdicts), ""]
    lines += ["## Per CWE class (the case's first CWE)", "", "Cells: vulnerable found at the sink / vulnerable · class alarms / fixed twins · class alarms / traps.", ""]
    lines += [*per_cwe_table(results, verdicts, cases), ""]
    lines += ["## Misses and false alarms by case", ""]
    for r in results:
        lines += case_lists(r, verdicts[r.name])
    return "\n".join(lines)


def as_json(meta: dict, results: list[ToolResult], verdicts: dict[str, dict[str, Verdict]]) -> dict:
    tools = []
    for r in results:
        by_id = verdicts[r.name]
        tools.append({
            "name": r.name, "version": r.version, "wall_s": round(r.wall, 3), "cpu_s": round(r.cpu, 3), "peak_rss_kib": r.peak_rss_kib,
            "summary": {scope: tally([v for v in by_id.values() if scope == "all" or v.case.group == scope], by_id)
                        for scope in ("all", "python", "js/ts")},
            "cases": {cid: {"kind": v.case.kind, "at_sink": v.at_sink, "cwe_in_file": v.cwe_in_file, "class_alarm": v.class_alarm,
                            "error": v.error, "findings": [dataclasses.asdict(f) | {"cwe": sorted(f.cwe)} for f in v.findings]}
                      for cid, v in by_id.items()},
        })  # fmt: skip
    return {"meta": meta, "tools": tools}


# ------------------------------------------------------------------ main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Score Bastion and its peers on the frozen taint evaluation corpus.")
    parser.add_argument("--before", default="5b57aad", help="git revision or path to a bastion executable (default: 5b57aad)")
    parser.add_argument("--after", help="a second git revision or bastion executable, run in the same run")
    parser.add_argument("--part", choices=sorted(digest.MANIFESTS), default="corpus", help="corpus (frozen), or a part added later (corpus2, part2-checks)")
    parser.add_argument("--name", help="results name: RESULTS-<name>.md (default: after if --after is given, else before)")
    parser.add_argument("--only", action="append", default=[], metavar="GLOB", help="only the case ids matching (repeatable)")
    parser.add_argument("--no-bandit", action="store_true")
    parser.add_argument("--no-eslint", action="store_true")
    parser.add_argument("--out", type=Path, default=HERE, help="folder for RESULTS-<name>.md and results-<name>.json")
    args = parser.parse_args(argv)

    part = HERE / args.part
    if digest.main(["--part", args.part]) != 0:
        log(f"refusing to score: {args.part}/ is not the frozen corpus recorded in its MANIFEST")
        return 2
    recorded, _ = digest.read_manifest(digest.MANIFESTS[args.part])
    cases = [c for c in load_cases(part) if not args.only or any(fnmatch.fnmatch(c.id, g) for g in args.only)]
    if not cases:
        log("no case selected")
        return 2

    tools = [bastion_tool(args.before, "before")]
    if args.after:
        tools.append(bastion_tool(args.after, "after"))
    if not args.no_bandit:
        tools.append(bandit_tool())
    if not args.no_eslint:
        tools.append(eslint_tool())
    results = [ToolResult(t.name, t.version, t.languages) for t in tools]
    verdicts: dict[str, dict[str, Verdict]] = {t.name: {} for t in tools}

    with tempfile.TemporaryDirectory(prefix="taint-eval-") as scratch:
        for number, case in enumerate(cases, 1):
            case_dir = Path(scratch) / case.id
            shutil.copytree(part / case.id, case_dir)
            for tool, result in zip(tools, results):
                if case.language not in tool.languages:
                    continue
                run = measure(tool.command, case_dir)
                result.add_time(run)
                findings, error = tool.parse(run)
                findings = relative_eslint_paths(findings, case_dir)
                verdicts[tool.name][case.id] = judge(case, findings, error)
            if number % 25 == 0 or number == len(cases):
                log(f"{number}/{len(cases)} cases")

    name = args.name or ("after" if args.after else "before")
    suffix = "" if args.part == "corpus" else f"-{args.part}"
    meta = {
        "name": name, "part": args.part, "digest": recorded, "digest_status": "verified against MANIFEST",
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "command": "python benchmarks/taint_eval/run.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "cases": len(cases), "machine_cpus": os.cpu_count(),
    }  # fmt: skip
    args.out.mkdir(parents=True, exist_ok=True)
    report = args.out / f"RESULTS-{name}{suffix}.md"
    report.write_text(markdown(meta, results, verdicts, cases) + "\n", encoding="utf-8")
    (args.out / f"results-{name}{suffix}.json").write_text(json.dumps(as_json(meta, results, verdicts), indent=1) + "\n", encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
