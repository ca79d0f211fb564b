"""Fuzz every parser of untrusted input with generated and mutated inputs: no crash, hang or unbounded memory.

Each target takes bytes the way Bastion meets them in a scanned tree or an
advisory feed, seeded from real files (the test fixtures, the example apps,
the OSV records in the shared snapshot, this repository's own lockfile and
configuration). Inputs are mutations of the seeds: bytes flipped, inserted,
deleted, slices repeated up to a few hundred times (to find quadratic work),
seeds spliced together, brackets nested thousands deep, numbers made huge,
tokens of the format inserted. Everything is drawn from one seeded
``random.Random``, so a run is reproducible.

Outcomes per input: ``ok``, ``refused`` (the parser's documented error, e.g.
``ReaderError``, ``ConfigError``, ``InvalidRecord``), ``crash`` (any other
exception, or an engine note saying it failed internally), ``hang`` (past
``--hang-seconds`` of CPU time: the input is saved) and ``memory`` (a ``MemoryError``
under the address-space limit, ``--memory-mb`` above the start).

    nice -n 19 python benchmarks/fuzz/run.py --inputs 100000 --targets lockfiles,nginx
    python benchmarks/fuzz/run.py --list

Prints one JSON line per target; with ``--save DIR`` bad inputs are written there.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
FIXTURES = ROOT / "tests" / "fixtures"
MAX_INPUT = 64 * 1024


class Refused(Exception):
    """The parser refused the input with its documented error: the wanted outcome for bad input."""


class Hang(BaseException):
    """Past the CPU-time limit; a BaseException so no parser's ``except Exception`` can swallow it."""


_ARMED = [False]  # is the CPU timer meant for the input being run?


@dataclass
class Target:
    name: str
    seeds: list[tuple[str, bytes]]  # (file name the input is presented as, bytes)
    run: Callable[[str, bytes], None]
    tokens: list[bytes] = field(default_factory=list)
    max_size: int = MAX_INPUT


def _scratch() -> Path:
    """A folder for inputs that must be files, in memory where the machine has one (disk writes dominated)."""
    shm = Path("/dev/shm")
    return Path(tempfile.mkdtemp(prefix="bastion-fuzz-", dir=shm if shm.is_dir() else None))


# --- seeds --------------------------------------------------------------------------------------

def _files(*patterns: str, under: Path = ROOT) -> list[Path]:
    found: list[Path] = []
    for pattern in patterns:
        found.extend(p for p in sorted(under.glob(pattern)) if p.is_file() and p.stat().st_size <= MAX_INPUT)
    return found


def _seeds(paths: list[Path], name: Callable[[Path], str] = lambda p: p.name) -> list[tuple[str, bytes]]:
    return [(name(p), p.read_bytes()) for p in paths]


def _shared_osv() -> Path:
    for candidate in (os.environ.get("BASTION_SHARED_DIR"), ROOT.parent / "shared", "/work/shared"):
        if candidate and (Path(candidate) / "osv").is_dir():
            return Path(candidate) / "osv"
    raise SystemExit("no OSV snapshot: set BASTION_SHARED_DIR")


# --- targets ------------------------------------------------------------------------------------

def _lockfiles() -> Target:
    from bastion.deps.packages import ReaderError
    from bastion.deps.readers import reader_for

    def run(name: str, data: bytes) -> None:
        from bastion.core.engine_api import decode_bytes

        try:
            reader_for(name)(name, decode_bytes(data)[0], _no_include)
        except (ReaderError, RecursionError):  # RecursionError: audit.collect names the file "nested too deeply"
            raise Refused() from None

    seeds = _seeds(_files("tests/fixtures/deps/**/*", "examples/**/requirements*.txt", "examples/**/package*.json",
                          "pyproject.toml"))
    seeds = [(n, d) for n, d in seeds if reader_for(n) is not None]
    seeds += [("package-lock.json", json.dumps({"lockfileVersion": 3, "packages": {
        "": {"dependencies": {"a": "^1"}}, "node_modules/a": {"version": "1.0.0", "dependencies": {"b": "*"}},
        "node_modules/a/node_modules/b": {"version": "2.0.0"}}}).encode()),
              ("Pipfile.lock", json.dumps({"default": {"flask": {"version": "==3.0.0"}}, "develop": {}}).encode()),
              ("uv.lock", b'version = 1\n[[package]]\nname = "flask"\nversion = "3.0.0"\n'
                          b'dependencies = [{ name = "click" }]\n[[package]]\nname = "click"\nversion = "8.1.0"\n')]
    tokens = [b"==", b"-r ", b"-e ", b"node_modules/", b'"version": "1.0.0"', b"[[package]]\n", b"dependencies:\n",
              b"  ", b"@", b"^", b"~", b"#", b"\\\n", b";", b"packages:\n", b"resolution:", b"lockfileVersion"]
    return Target("lockfiles", seeds, run, tokens)


def _no_include(_path: str) -> str:
    raise OSError("includes are not followed while fuzzing")


def _config_audit(name: str, kinds_of: list[str], tokens: list[bytes]) -> Target:
    from bastion.config_audit.engine import ConfigAuditEngine
    from bastion.core.engine_api import FileContext, SourceFile

    engine = ConfigAuditEngine()
    tmp = _scratch()

    def run(file_name: str, data: bytes) -> None:
        (tmp / file_name).write_bytes(data)
        source = SourceFile(file_name, str(tmp / file_name), None, data)
        for item in engine.check_file(FileContext(source, {})):
            if getattr(item, "reason", None) == "internal-error":
                raise AssertionError(item.message)

    seeds = _seeds([p for p in _files("tests/fixtures/config_audit/**/*", "examples/**/*")
                    if any(k in p.name.lower() for k in kinds_of)])
    return Target(name, seeds, run, tokens)


def _nginx() -> Target:
    return _config_audit("nginx", ["nginx", ".conf"], [b"{", b"}", b";", b"include ", b"server {", b"location / {",
                                                          b"add_header X y;", b"ssl_protocols TLSv1;", b"'", b'"', b"\\",
                                                          b"$", b"#", b"if ($x) {", b"map $a $b {"])


def _dockerfile() -> Target:
    return _config_audit("dockerfile", ["dockerfile"], [b"FROM ", b"RUN ", b"USER ", b"<<EOF\n", b"EOF\n", b"\\\n",
                                                         b"ARG ", b"ENV ", b"COPY --from=", b"&&", b"|", b"${X}",
                                                         b"# syntax=docker/dockerfile:1\n", b"apt-get install -y "])


def _yaml() -> Target:
    return _config_audit("yaml", ["yml", "yaml"], [b": ", b"- ", b"&a ", b"*a", b"<<: *a\n", b"{", b"[", b"!!python/",
                                                   b"---\n", b"  ", b"|\n", b"${{ github.event.x }}", b"'", b'"', b"?"])


def _file_loader(load: Callable[[Path], object], refusal: type[BaseException]) -> Callable[[str, bytes], None]:
    """A target run for loaders that take a path: the input is written to a scratch file and loaded."""
    tmp = _scratch()

    def run(name: str, data: bytes) -> None:
        (tmp / name).write_bytes(data)
        try:
            load(tmp / name)
        except refusal:
            raise Refused() from None

    return run


def _baseline() -> Target:
    from bastion.pipeline.filters import load_baseline

    run = _file_loader(load_baseline, ValueError)
    seed = json.dumps({"version": 1, "findings": [{"fingerprint": "a" * 64, "rule_id": "sql-injection",
                                                    "path": "app.py"}] * 3}).encode()
    return Target("baseline", [("baseline.json", seed)], run, [b"[", b"{", b'"findings":', b"]", b"}", b",", b"\\ud800"])


def _config() -> Target:
    from bastion.core.config import ConfigError, load_config

    run = _file_loader(load_config, ConfigError)
    seeds = [("bastion.toml", b'fail-on = "high"\nexclude = ["tests/"]\nseverity = { weak-hash = "low" }\n'
                              b'[python]\nmodels = ["m"]\n[secrets]\n'),
             ("pyproject.toml", (ROOT / "pyproject.toml").read_bytes()),
             ("pyproject.toml", b'[tool.bastion]\njobs = 2\nfile-timeout = 3\n[tool.bastion.config_audit]\n'
                                b'follow-includes = false\n')]
    return Target("config", seeds, run, [b"[", b"]", b"{", b"}", b"=", b'"', b"[tool]\n", b"[tool.bastion]\n",
                                         b"tool = ", b"\xe9", b"\\u0000", b"[[a]]\n", b"1e999"])


def _osv() -> Target:
    from bastion.deps import osv
    from bastion.deps.importer import Reader

    def run(name: str, data: bytes) -> None:
        reader = Reader()
        records = list(reader._decode(data, name))
        if reader.unreadable:
            raise Refused()
        for raw in records:
            try:
                record = osv.validate(raw)
            except osv.InvalidRecord:
                raise Refused() from None
            json.dumps(record, sort_keys=True).encode()
            for ecosystem, package in osv.packages_of(record):
                osv.affects(record, ecosystem, package, "1.0.0")
                osv.fixed_versions(record, ecosystem, package)
            osv.severity_of(record)
            osv.summary_of(record)

    snapshot = _shared_osv()
    paths = sorted(snapshot.rglob("*.json"))
    picked = random.Random(0).sample(paths, min(200, len(paths)))
    return Target("osv", _seeds(picked), run, [b"[", b"{", b'"affected":', b'"ranges":', b'"events":',
                                               b'"introduced": "0"', b'"fixed": "', b"\\ud800", b'"severity":',
                                               b"CVSS:3.1/AV:N", b"]", b"}", b","])


def _sast(name: str, patterns: list[str], language_of: Callable[[str], str]) -> Target:
    from bastion.core.engine_api import FileContext, SourceFile
    from bastion.core.engines import load_engine

    engine = load_engine(name)

    def run(file_name: str, data: bytes) -> None:
        source = SourceFile(file_name, file_name, language_of(file_name), data)
        for item in engine.check_file(FileContext(source, {})):
            if getattr(item, "kind", None) == "error" and "failed" in getattr(item, "message", ""):
                raise AssertionError(item.message)

    seeds = _seeds(_files(*patterns))
    return Target(name, seeds, run, max_size=16 * 1024)


def _python() -> Target:
    target = _sast("python", ["tests/fixtures/python/*.py", "examples/**/*.py", "src/bastion/sast/*.py"],
                   lambda n: "python")
    target.tokens = [b"def ", b"class ", b"(", b")", b"[", b"]", b"{", b"}", b":", b"\n", b"    ", b"=", b"+", b"%",
                     b'f"{x:{y}}"', b"'", b'"""', b"lambda: ", b"*", b"**", b"@app.route('/')\n", b"# comment\n",
                     b"request.args['a']", b"os.system(", b'"{0:{1}}".format(', b"10**10", b"\\", b"yield ", b"\x00"]
    return target


def _javascript() -> Target:
    ext = {".js": "javascript", ".jsx": "javascript", ".ts": "typescript", ".tsx": "tsx"}
    target = _sast("javascript", ["tests/fixtures/javascript/*", "examples/**/*.js"],
                   lambda n: ext.get(os.path.splitext(n)[1], "javascript"))
    target.tokens = [b"function ", b"=>", b"(", b")", b"{", b"}", b"[", b"]", b"`${", b"}`", b"'", b'"', b";", b"\n",
                     b"req.query.a", b"exec(", b".repeat(1e10)", b".padStart(1e9)", b"Array(1e9).join('x')",
                     b"<div>", b"</div>", b"as any", b": string", b"import x from 'y';\n", b"/*", b"*/", b"//", b"\\"]
    return target


TARGETS: dict[str, Callable[[], Target]] = {
    "lockfiles": _lockfiles, "nginx": _nginx, "dockerfile": _dockerfile, "yaml": _yaml, "baseline": _baseline,
    "config": _config, "osv": _osv, "python": _python, "javascript": _javascript,
}


# --- mutation -----------------------------------------------------------------------------------

def mutate(rng: random.Random, target: Target) -> tuple[str, bytes]:
    name, data = rng.choice(target.seeds)
    buf = bytearray(data)
    for _ in range(rng.choice((1, 1, 2, 3, 5, 8))):
        op = rng.randrange(9)
        at = rng.randrange(len(buf) + 1)
        if op == 0 and buf:  # flip bytes
            for _ in range(rng.randrange(1, 5)):
                buf[rng.randrange(len(buf))] = rng.randrange(256)
        elif op == 1:  # insert a token of the format
            if target.tokens:
                buf[at:at] = rng.choice(target.tokens) * rng.choice((1, 1, 2, 10))
        elif op == 2 and buf:  # delete a range
            buf[at:at + rng.randrange(1, 64)] = b""
        elif op == 3 and buf:  # repeat a slice: quadratic work shows up here
            end = min(len(buf), at + rng.randrange(1, 200))
            buf[at:end] = bytes(buf[at:end]) * rng.choice((2, 10, 50, 300))
        elif op == 4:  # splice another seed in
            _, other = rng.choice(target.seeds)
            start = rng.randrange(len(other) + 1)
            buf[at:at] = other[start:start + rng.randrange(1, 2000)]
        elif op == 5 and buf:  # truncate
            del buf[at:]
        elif op == 6:  # nest deeply
            opener, closer = rng.choice(((b"[", b"]"), (b"{", b"}"), (b"(", b")"), (b"{a: ", b"}"), (b"- ", b"")))
            depth = rng.choice((50, 1000, 5000))
            buf[at:at] = opener * depth + closer * depth
        elif op == 7:  # a huge number or a long run of one byte
            buf[at:at] = rng.choice((b"9" * rng.randrange(1, 400), b"1e308", b"-1", b"0x" + b"f" * 40,
                                     bytes([rng.randrange(256)]) * rng.randrange(1, 5000)))
        elif op == 8:  # random bytes
            buf[at:at] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 32)))
    return name, bytes(buf[:target.max_size])


# --- driver -------------------------------------------------------------------------------------

def _on_alarm(signum, frame):
    if _ARMED[0]:
        raise Hang()


def fuzz(target: Target, inputs: int, seed: int, hang_seconds: float, save: Path | None,
         seconds: float | None = None) -> dict:
    """Run ``inputs`` inputs through ``target`` (fewer if ``seconds`` of wall time run out first: the result
    says how many ran), printing a progress line to stderr every minute."""
    rng = random.Random(seed)
    outcomes: Counter = Counter()
    examples: dict[str, str] = {}
    slowest = 0.0
    started = last_progress = time.monotonic()
    done = 0
    for index in range(inputs):
        now = time.monotonic()
        if seconds is not None and now - started > seconds:
            break
        if now - last_progress > 60:
            last_progress = now
            print(json.dumps({"target": target.name, "progress": index, "outcomes": dict(outcomes)}),
                  file=sys.stderr, flush=True)
        name, data = (target.seeds[index][0], target.seeds[index][1]) if index < len(target.seeds) else mutate(rng, target)
        begin = time.monotonic()
        try:
            try:  # CPU time, not wall time: at nice 19 on a busy machine wall time says nothing
                _ARMED[0] = True
                signal.setitimer(signal.ITIMER_PROF, hang_seconds)
                target.run(name, data)
                outcome = "ok"
            finally:
                _ARMED[0] = False
                signal.setitimer(signal.ITIMER_PROF, 0)
        except Refused:
            outcome = "refused"
        except Hang:
            outcome = "hang"
        except MemoryError:
            outcome = "memory"
        except RecursionError:
            outcome = "crash"
            examples.setdefault(outcome, "RecursionError")
        except Exception as exc:  # noqa: BLE001 - what the fuzzer is for
            outcome = "crash"
            examples.setdefault(f"crash:{type(exc).__name__}", "".join(traceback.format_exception(exc))[-1500:])
        slowest = max(slowest, time.monotonic() - begin)
        outcomes[outcome] += 1
        done += 1
        if outcome in ("crash", "hang", "memory") and save is not None:
            save.mkdir(parents=True, exist_ok=True)
            (save / f"{target.name}-{outcome}-{index}-{name}").write_bytes(data)
    return {"target": target.name, "inputs": done, "asked": inputs, "seeds": len(target.seeds), "seed": seed,
            "outcomes": dict(sorted(outcomes.items())), "slowest_input_seconds": round(slowest, 3),
            "seconds": round(time.monotonic() - started, 1),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, "examples": examples}


def _limit_memory(megabytes: int) -> None:
    with open("/proc/self/statm") as handle:
        current = int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    limit = current + megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--inputs", type=int, default=100_000, help="inputs per target (the seeds come first)")
    parser.add_argument("--targets", default=",".join(TARGETS), help="comma-separated (default: all)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--hang-seconds", type=float, default=10.0, help="CPU seconds one input may take")
    parser.add_argument("--memory-mb", type=int, default=2048, help="address space the inputs may add")
    parser.add_argument("--seconds", type=float, help="wall-time cap per target (the result counts the inputs run)")
    parser.add_argument("--save", type=Path, help="write crashing, hanging or memory-exhausting inputs here")
    parser.add_argument("--list", action="store_true", help="list the targets and their seed counts")
    args = parser.parse_args(argv)
    names = [n for n in args.targets.split(",") if n]
    unknown = [n for n in names if n not in TARGETS]
    if unknown:
        parser.error(f"unknown target(s) {unknown}; known: {', '.join(TARGETS)}")
    signal.signal(signal.SIGPROF, _on_alarm)
    targets = [TARGETS[n]() for n in names]
    if args.list:
        for target in targets:
            print(f"{target.name}: {len(target.seeds)} seeds")
        return 0
    _limit_memory(args.memory_mb)
    bad = 0
    for target in targets:
        result = fuzz(target, args.inputs, args.seed, args.hang_seconds, args.save, args.seconds)
        bad += sum(result["outcomes"].get(k, 0) for k in ("crash", "hang", "memory"))
        print(json.dumps(result), flush=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
