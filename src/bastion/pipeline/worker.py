"""What runs in a worker process: one file from its path to its result, under a time and memory budget.

A worker reads the file itself, so reading, sniffing, hashing and cache
lookups run in parallel like the analysis, and the main process never holds
the tree's bytes: it hands out paths and collects results.

A task names a file and a mode:

- ``"file"``: the file is read (under the size cap), skipped if it is binary,
  minified, generated or wanted by no engine, looked up in the cache, and
  otherwise every engine that wants it checks it over one shared parse;
  a cross-file engine (``FileEngine.cross_file``) only reads its imports
  (the first pass);
- ``"alone"``: one cross-file engine checks and summarizes the file without
  other files' summaries (none of its imports offers anything);
- ``"project"``: one engine checks and summarizes the file knowing the
  other files' summaries (both: the project pass, :mod:`bastion.pipeline.project_pass`).

Whatever happens inside, the result is a JSON-ready payload: exceptions,
blown budgets and exhausted memory become notes naming the file.

Files are analysed in worker processes only, never in the main process,
because one budget needs a process that can be ended: a tree-sitter parse is
a single native call that the time budget's signal cannot interrupt (20,000
lines of ``case 1:`` in TypeScript take minutes). Next to the wall-clock
alarm that stops Python code, a worker arms a CPU-time timer whose signal
keeps its default action, ending the process a moment after the budget; the
worker says which task it is on through a shared slot, so the pool names
that file (:func:`stopped_outcome`) and runs the others again.
"""

from __future__ import annotations

import hashlib
import os
import signal
import threading
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from bastion.pipeline.cache import ResultCache
from bastion.core.engine_api import FileContext, FileEngine, SourceFile
from bastion.pipeline.filters import parse_suppressions
from bastion.core.model import Finding, Note
from bastion.pipeline.workspace import classify_content, detect_language
from bastion.host.files import read_confined, read_regular_file


class FileBudgetExceeded(BaseException):
    """Raised inside a worker when a file's analysis runs past its time budget.

    A ``BaseException``, like ``KeyboardInterrupt``: an engine's ``except
    Exception`` (one bad file must not end the scan) must not turn the budget
    into a failure of its own.
    """


@dataclass(frozen=True)
class Task:
    relpath: str
    abspath: str
    data: bytes | None = None  # None: the worker reads the file (a stdin buffer comes with its bytes)
    mode: str = "file"  # "file", "alone" or "project"
    engine: str | None = None  # the one engine of an "alone" or "project" task
    cache_extra: str = ""  # what else the result depends on (the project pass: the summaries a file imports)


@dataclass(frozen=True)
class Outcome:
    """What a worker sends back for one task: why it was skipped, its fresh payload and cache key, or the
    cached payload still encoded (decoding it here only to pickle it would cost twice)."""

    relpath: str
    skipped: str | None = None
    payload: dict[str, Any] | None = None
    key: str | None = None  # to store a fresh payload under
    stored: bytes | None = None  # a cache hit: the payload's JSON text (ResultCache.decode)
    digest: str | None = None  # the content digest of the file as read (with a cache): later passes look up by it


@dataclass(frozen=True)
class WorkerSetup:
    """Everything a worker needs besides its tasks; picklable, sent once per worker."""

    engine_names: list[str]
    options: dict[str, dict[str, Any]]
    timeout: float
    memory_mb: int
    max_file_size: int
    salt: str  # Bastion's version, config, engines and their data: part of every cache key
    cache_path: str | None = None  # the result cache, opened read-only by each worker
    cache_secret: bytes = b""  # the key of the cache entries' HMACs
    skip_vendored: bool = True  # skip copies of known libraries and bundles (off: the scan-vendored setting)

    @property
    def hard_seconds(self) -> float:
        """CPU seconds after which a worker stuck in native code is ended (the budget, then a moment of grace;
        0, no budget, where the time budget is off)."""
        return self.timeout + max(1.0, self.timeout / 10) if self.timeout > 0 else 0.0


@dataclass
class WorkerState:
    engines: list[FileEngine]
    options: dict[str, dict[str, Any]]
    timeout: float
    summaries: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> summary, for project tasks
    max_file_size: int = 2 * 1024 * 1024
    salt: str = ""
    cache: ResultCache | None = None
    skip_vendored: bool = True
    hard_seconds: float = 0.0  # a worker process: CPU seconds after which it ends itself (0: not armed)
    current: Any = None  # a worker process: the shared slot saying which task of its batch it is on

    def __post_init__(self) -> None:
        # One options table per engine, the same object for every file, so engines can parse it once.
        self.options = {engine.name: self.options.get(engine.name, {}) for engine in self.engines}


_state: WorkerState | None = None


def init_worker(setup: WorkerSetup, summaries: dict[str, dict[str, Any]] | None = None, current: Any = None) -> None:
    """Load the engines once per worker process, open the cache for reading and cap the address space.

    ``current`` is the shared slot (a ``multiprocessing`` integer) where the
    worker writes the index in its batch of the task it is on.
    """
    global _state, _alarms_routed
    from bastion.core.engines import load_engine

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process handles Ctrl-C
    hard_seconds = 0.0
    if hasattr(signal, "setitimer"):
        signal.signal(signal.SIGALRM, _on_alarm)
        signal.signal(signal.SIGPROF, signal.SIG_DFL)  # its default action ends the process: the hard budget
        _alarms_routed, hard_seconds = True, setup.hard_seconds
    engines = [e for e in (load_engine(n) for n in setup.engine_names) if isinstance(e, FileEngine)]
    cache = ResultCache.reader(Path(setup.cache_path), setup.cache_secret) if setup.cache_path else None
    _state = WorkerState(engines, setup.options, setup.timeout, summaries or {}, setup.max_file_size, setup.salt,
                         cache, setup.skip_vendored, hard_seconds, current)
    _limit_memory(setup.memory_mb)


def _limit_memory(memory_mb: int) -> None:
    current = _address_space()
    if current is None:
        return  # not on Linux: the time budget still applies
    import resource

    limit = current + memory_mb * 1024 * 1024
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (OSError, ValueError):
        pass  # a lower hard limit set by the user's shell already holds


def _on_alarm(signum: int, frame: Any) -> None:
    raise FileBudgetExceeded()


_alarms_routed = False  # is SIGALRM routed to the time budget in this process?
_inline_memory_mb = 0  # work in the main process: the address space it may add (0: a worker, capped for life)


def _can_hold_budgets() -> bool:
    """Can this thread run work under both budgets? The time budget is a signal, delivered to the main
    thread only, and the memory budget a process-wide limit other threads must not share."""
    return threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer") \
        and _address_space() is not None


@contextmanager
def inline_budgets(memory_mb: int) -> Iterator[None]:
    """Hold the budgets for work done in the main process (a workspace engine: pure Python, which the
    alarm can interrupt; files are analysed in workers only), as a worker process holds them for life.

    SIGALRM is routed to the time budget around the run. The address-space
    limit is set per unit of work (:func:`_memory_budget`), above what the
    process uses when it starts, and lifted after it.
    """
    global _alarms_routed, _inline_memory_mb
    if not _can_hold_budgets():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    _alarms_routed, _inline_memory_mb = True, memory_mb
    try:
        yield
    finally:
        _alarms_routed, _inline_memory_mb = False, 0
        signal.signal(signal.SIGALRM, previous)


def _address_space() -> int | None:
    """Bytes of address space this process uses now (None where it cannot be read or limited)."""
    try:
        import resource  # noqa: F401 - only its presence matters here

        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (ImportError, OSError, ValueError):
        return None


@contextmanager
def _memory_budget() -> Iterator[None]:
    """In the main process, cap the address space for one unit of work at its budget above current use.

    Only the soft limit moves, so it can be put back afterwards; a hard limit
    set by the user's shell still holds underneath.
    """
    current = _address_space() if _inline_memory_mb else None
    if current is None:
        yield
        return
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = current + _inline_memory_mb * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    if soft != resource.RLIM_INFINITY:
        limit = min(limit, soft)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@contextmanager
def _time_budget(seconds: float, hard_seconds: float = 0.0) -> Iterator[None]:
    """An interval timer that interrupts Python code running past ``seconds``, where alarms are routed; in a
    worker (``hard_seconds``), a CPU-time timer too that ends the process if native code holds on past it."""
    armed = _alarms_routed and threading.current_thread() is threading.main_thread()
    if armed:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        if hard_seconds:
            signal.setitimer(signal.ITIMER_PROF, hard_seconds)
    try:
        yield
    finally:
        if armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            if hard_seconds:
                signal.setitimer(signal.ITIMER_PROF, 0)


@contextmanager
def budgets(seconds: float) -> Iterator[None]:
    """Both budgets around one unit of work in this process, inside :func:`inline_budgets` (a workspace engine's
    run in the main process); where they cannot be held (another thread) the work runs unbounded."""
    with _time_budget(seconds), _memory_budget():
        yield


def _failure(relpath: str, engine: str, what: str, kind: str = "error") -> dict[str, Any]:
    """An incomplete analysis: "error" when the input's shape stopped it, "failure" when Bastion's code did."""
    return Note(kind, f"{relpath}: {engine} {what}", path=relpath, reason=engine).to_dict()


def _record(item: Finding) -> dict[str, Any]:
    record = item.to_dict()
    record["fingerprint_key"] = item.fingerprint_key
    return record


def process(task: Task, state: WorkerState) -> Outcome:
    """Take one task from its path to its result: read, sniff, look up the cache, else analyse. Never raises."""
    data = task.data
    if data is None:
        try:
            data = read_regular_file(task.abspath, state.max_file_size)
        except ValueError:
            return Outcome(task.relpath, skipped="too-large")
        except OSError:
            return Outcome(task.relpath, skipped="unreadable")
    reason = classify_content(task.relpath, data[:8192], state.skip_vendored) if task.mode == "file" else None
    if reason:
        return Outcome(task.relpath, skipped=reason)
    source = SourceFile(task.relpath, task.abspath, detect_language(task.relpath, data[:256]), data)
    if task.mode == "file" and not any(engine.wants(source) for engine in state.engines):
        return Outcome(task.relpath, skipped="no-engine")
    if state.cache is None:
        return Outcome(task.relpath, payload=run_task(task, source, state))
    digest = hashlib.sha256(data).hexdigest()
    key = cache_key(task, digest, state.salt)
    hit = state.cache.lookup(key)
    if hit is not None and (not hit[0] or _reads_unchanged(source.root, hit[0])):
        return Outcome(task.relpath, stored=hit[1], digest=digest)
    return Outcome(task.relpath, payload=run_task(task, source, state), key=key, digest=digest)


def cache_key(task: Task, digest: str, salt: str) -> str:
    """The cache key of ``task``'s result for file content of sha256 ``digest``."""
    return ResultCache.key(task.relpath, digest, f"{salt}|{task.mode}|{task.engine or ''}|{task.cache_extra}")


def _reads_unchanged(root: Path | None, reads: dict[str, str]) -> bool:
    """A cached result stays valid only while the other files it read (``FileContext.read_related``) are unchanged."""
    if not reads:
        return True
    if root is None:
        return False
    for relpath, digest in reads.items():
        try:
            if hashlib.sha256(read_confined(root, relpath, 64 * 1024 * 1024)).hexdigest() != digest:
                return False
        except (OSError, ValueError):
            return False
    return True


#: How many files' content-only artefacts (:func:`_content_only`) a process keeps for their next task.
_REUSED_FILES = 8
_reusable: OrderedDict[tuple[str, bytes], dict[Any, Any]] = OrderedDict()


def _content_only(key: Any) -> bool:
    """Shared artefacts that depend on the file's bytes alone: its syntax trees and IRs (memo keys ending in
    ``.ir``, see :meth:`FileContext.memo`), never an analysis (that depends on the other files' summaries)."""
    return (isinstance(key, tuple) and key[0] == "tree") or (isinstance(key, str) and key.endswith(".ir"))


def _reuse(source: SourceFile) -> tuple[tuple[str, bytes], dict[Any, Any]]:
    """The file's identity and its artefacts from an earlier task in this process: the project pass re-checks a
    file this process has often just analysed (in a warm rescan, the one changed file), and parsing and lowering
    it again was a third of that task."""
    identity = (source.path, hashlib.blake2b(source.data, digest_size=16).digest())
    return identity, dict(_reusable.get(identity, {}))


def _keep(identity: tuple[str, bytes], shared: dict[Any, Any]) -> None:
    _reusable[identity] = {key: value for key, value in shared.items() if _content_only(key)}
    _reusable.move_to_end(identity)
    while len(_reusable) > _REUSED_FILES:
        _reusable.popitem(last=False)


def run_task(task: Task, source: SourceFile, state: WorkerState) -> dict[str, Any]:
    """Analyse one file (already read) as ``task`` says; never raises."""
    payload: dict[str, Any] = {"findings": [], "notes": [], "summaries": {}}
    if task.mode == "file":
        payload["imports"] = {}
    identity, shared = _reuse(source)
    engines = state.engines if task.mode == "file" else [e for e in state.engines if e.name == task.engine]
    try:
        with _time_budget(state.timeout, state.hard_seconds):
            # First and inside the budget: the comments are input too, and findings made before a blown
            # budget still meet the comments that silence them.
            if task.mode == "file" and b"bastion:" in source.data:
                payload["suppressions"] = [s.to_dict() for s in parse_suppressions(source.lines)]
            for engine in engines:
                ctx = FileContext(source, state.options[engine.name], shared,
                                  summaries=state.summaries if task.mode == "project" else None)
                try:
                    if task.mode == "file" and not engine.wants(source):
                        continue
                    if task.mode == "file" and engine.cross_file:  # checked in the project pass, in import order
                        payload["imports"][engine.name] = engine.imports(ctx) or {}
                        continue
                    for item in engine.check_file(ctx):
                        (payload["notes"].append(item.to_dict()) if isinstance(item, Note)
                         else payload["findings"].append(_record(item)))
                    summary = engine.summarize(ctx)
                    if summary is not None:
                        payload["summaries"][engine.name] = summary
                except FileBudgetExceeded:
                    raise
                except MemoryError:
                    payload["notes"].append(_failure(task.relpath, engine.name, "exceeded the memory budget"))
                except RecursionError:
                    payload["notes"].append(_failure(task.relpath, engine.name, "nesting too deep to analyse"))
                except Exception as exc:  # an engine bug on one file must not end the scan
                    message = f"failed: {type(exc).__name__}: {exc}"[:300]
                    payload["notes"].append(_failure(task.relpath, engine.name, message, kind="failure"))
    except FileBudgetExceeded:
        payload["notes"].append(_failure(task.relpath, "runner",
                                         f"analysis exceeded the {state.timeout:g}s time budget; partial results"))
    _keep(identity, shared)
    if shared.get("reads"):
        payload["reads"] = shared["reads"]
    if task.mode == "file":
        payload.setdefault("suppressions", [])
        payload["lines"] = _count_lines(source.data)
    return payload


def _count_lines(data: bytes) -> int:
    """Lines as an editor counts them, without decoding the file (an engine on bytes never needs to)."""
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)


def run_batch(batch: list[Task], updates: Iterable[tuple[str, dict[str, Any] | None]] = ()) -> list[Outcome]:
    """Run a batch, first learning the summaries that changed since the last one (None: withdrawn)."""
    assert _state is not None, "worker used before init_worker"
    for name, summary in updates:
        if summary is None:
            _state.summaries.pop(name, None)
        else:
            _state.summaries[name] = summary
    outcomes = []
    for index, task in enumerate(batch):
        if _state.current is not None:
            _state.current.value = index
        outcomes.append(process(task, _state))
    return outcomes


def stopped_outcome(task: Task, setup: WorkerSetup) -> Outcome:
    """The result of a task whose worker ended itself at the hard budget (native code past the time budget):
    no findings, and the budget note that makes the file incomplete."""
    note = _failure(task.relpath, "runner", f"analysis exceeded the {setup.timeout:g}s time budget inside native "
                                            "code (a parse); the worker was stopped, no results")
    return Outcome(task.relpath, payload={"findings": [], "notes": [note], "summaries": {}, "suppressions": [],
                                          "lines": 0})
