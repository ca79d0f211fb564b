"""The engine runner: files to workers, results to the cache, workspace engines once.

Each file is read once in the main process (its digest keys the cache), and
cache misses go to a pool of worker processes, one per core by default. A
worker runs every file engine that wants the file over one shared parse, under
a time budget (an interval timer) and a memory budget (an address-space limit
on the worker). A file that exceeds a budget, breaks a parser or crashes its
worker yields a note naming it; the scan goes on.
"""

from __future__ import annotations

import os
import signal
import threading
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Callable

from bastion import __version__
from bastion.cache import ResultCache
from bastion.engine_api import FileContext, FileEngine, SourceFile, WorkspaceContext, WorkspaceEngine
from bastion.filters import Suppression, parse_suppressions
from bastion.model import Finding, Note
from bastion.workspace import classify_content, detect_language, read_regular_file

Progress = Callable[[int, int], None]
_BATCH_FILES = 16
_BATCH_BYTES = 512 * 1024
_INLINE_MAX_FILES = 4
#: Skips worth a note naming the file; the rest (binary, minified, ...) are only counted.
_NOTED_SKIPS = ("too-large", "unreadable", "not-a-regular-file")


@dataclass
class RunLimits:
    jobs: int = 0
    file_timeout: float = 30.0
    file_memory_mb: int = 2048
    max_file_size: int = 2 * 1024 * 1024


@dataclass
class RunOutput:
    findings: list[Finding] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    suppressions: dict[str, list[Suppression]] = field(default_factory=dict)
    files_scanned: int = 0
    lines_scanned: int = 0
    files_from_cache: int = 0
    skipped: dict[str, int] = field(default_factory=dict)

    def skip(self, reason: str, path: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1
        if reason in _NOTED_SKIPS:
            self.notes.append(Note("skipped", f"skipped {path}: {reason}", path=path, reason=reason))

    def absorb(self, relpath: str, payload: dict[str, Any]) -> None:
        self.files_scanned += 1
        self.lines_scanned += payload.get("lines", 0)
        self.findings.extend(Finding.from_dict(f) for f in payload["findings"])
        self.notes.extend(Note(**n) for n in payload["notes"])
        if payload["suppressions"]:
            self.suppressions[relpath] = [Suppression.from_dict(s) for s in payload["suppressions"]]


# --- worker side --------------------------------------------------------------------------------

class FileBudgetExceeded(Exception):
    """Raised inside a worker when a file's analysis runs past its time budget."""


_worker_engines: list[FileEngine] = []
_worker_options: dict[str, dict[str, Any]] = {}
_worker_timeout: float = 30.0


def _init_worker(engine_names: list[str], options: dict[str, dict[str, Any]], timeout: float, memory_mb: int) -> None:
    """Load the engines once per worker and cap its address space."""
    global _worker_engines, _worker_options, _worker_timeout
    from bastion.engines import load_engine

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process handles Ctrl-C
    _worker_engines = [e for e in (load_engine(n) for n in engine_names) if isinstance(e, FileEngine)]
    _worker_options = options
    _worker_timeout = timeout
    _limit_memory(memory_mb)


def _limit_memory(memory_mb: int) -> None:
    try:
        import resource

        with open("/proc/self/statm") as handle:
            current = int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        limit = current + memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, OSError, ValueError):
        pass  # not on Linux: the time budget still applies


def _on_alarm(signum: int, frame: Any) -> None:
    raise FileBudgetExceeded()


def analyse_file(relpath: str, abspath: str, language: str | None, data: bytes,
                 engines: list[FileEngine] | None = None, options: dict[str, dict[str, Any]] | None = None,
                 timeout: float | None = None) -> dict[str, Any]:
    """Run every engine that wants the file; return a JSON-ready payload (what the cache stores)."""
    engines = _worker_engines if engines is None else engines
    options = _worker_options if options is None else options
    timeout = _worker_timeout if timeout is None else timeout
    source = SourceFile(relpath, abspath, language, data)
    findings: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    shared: dict[str, Any] = {}
    use_alarm = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    if use_alarm:
        previous = signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        for engine in engines:
            try:
                if not engine.wants(source):
                    continue
                for item in engine.check_file(FileContext(source, options.get(engine.name, {}), shared)):
                    if isinstance(item, Note):
                        notes.append(item.to_dict())
                    else:
                        record = item.to_dict()
                        record["fingerprint_key"] = item.fingerprint_key
                        findings.append(record)
            except FileBudgetExceeded:
                raise
            except MemoryError:
                notes.append(_failure(relpath, engine.name, "exceeded the memory budget"))
            except RecursionError:
                notes.append(_failure(relpath, engine.name, "nesting too deep to analyse"))
            except Exception as exc:  # an engine bug on one file must not end the scan
                notes.append(_failure(relpath, engine.name, f"failed: {type(exc).__name__}: {exc}"[:300]))
    except FileBudgetExceeded:
        notes.append(_failure(relpath, "runner", f"analysis exceeded the {timeout:g}s time budget; partial results"))
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    suppressions = [s.to_dict() for s in parse_suppressions(source.lines)] if b"bastion:" in data else []
    return {"findings": findings, "notes": notes, "suppressions": suppressions, "lines": len(source.lines)}


def _failure(relpath: str, engine: str, what: str) -> dict[str, Any]:
    return Note("error", f"{relpath}: {engine} {what}", path=relpath, reason=engine).to_dict()


def _analyse_batch(batch: list[tuple[str, str, str | None, bytes]]) -> list[tuple[str, dict[str, Any]]]:
    return [(item[0], analyse_file(*item)) for item in batch]


# --- main side ----------------------------------------------------------------------------------

@dataclass
class _Work:
    relpath: str
    abspath: str
    language: str | None
    data: bytes
    key: str


def run_scan(root: Path, relpaths: list[str], engine_names: list[str], engines: list[Any],
             options: dict[str, dict[str, Any]], limits: RunLimits, cache: ResultCache | None,
             config_digest: str, progress: Progress | None = None, stdin: tuple[str, bytes] | None = None,
             workspace_settings: dict[str, Any] | None = None) -> RunOutput:
    """Scan ``relpaths`` under ``root`` (or one stdin buffer) with the given engines."""
    out = RunOutput()
    file_engines = [e for e in engines if isinstance(e, FileEngine)]
    salt = "|".join([__version__, config_digest, *sorted(f"{e.name}:{e.cache_salt()}" for e in file_engines)])
    work: list[_Work] = []
    inputs = [(stdin[0], stdin[0], stdin[1])] if stdin else [(r, str(root / r), None) for r in relpaths]
    for relpath, abspath, data in inputs:
        if data is None:
            try:
                data = read_regular_file(Path(abspath), limits.max_file_size)
            except ValueError:
                out.skip("too-large", relpath)
                continue
            except OSError:
                out.skip("unreadable", relpath)
                continue
        reason = classify_content(relpath, data[:8192])
        if reason:
            out.skip(reason, relpath)
            continue
        language = detect_language(relpath, data[:256])
        probe = SourceFile(relpath, abspath, language, data)
        if not any(engine.wants(probe) for engine in file_engines):
            out.skip("no-engine", relpath)
            continue
        work.append(_Work(relpath, abspath, language, data, ResultCache.key(relpath, probe.sha256, salt)))

    cached = cache.get_many([w.key for w in work]) if cache else {}
    misses = []
    for item in work:
        if item.key in cached:
            out.absorb(item.relpath, cached[item.key])
            out.files_from_cache += 1
        else:
            misses.append(item)
    total = len(work)
    done = total - len(misses)
    if progress:
        progress(done, total)

    def record(relpath: str, payload: dict[str, Any], key: str) -> None:
        nonlocal done
        out.absorb(relpath, payload)
        if cache:
            cache.put(key, payload)
        done += 1
        if progress:
            progress(done, total)

    jobs = limits.jobs or os.cpu_count() or 1
    if jobs == 1 or len(misses) <= _INLINE_MAX_FILES:
        for item in misses:
            payload = analyse_file(item.relpath, item.abspath, item.language, item.data,
                                   file_engines, options, limits.file_timeout)
            record(item.relpath, payload, item.key)
    else:
        _run_pool(misses, engine_names, options, limits, jobs, record, out)
    if cache:
        cache.flush()

    for engine in engines:
        if isinstance(engine, WorkspaceEngine):
            context = WorkspaceContext(root, list(relpaths), options.get(engine.name, {}), workspace_settings or {})
            try:
                for item in engine.check_workspace(context):
                    (out.notes if isinstance(item, Note) else out.findings).append(item)
            except Exception as exc:  # one engine's failure is a note, not a failed scan
                out.notes.append(Note("error", f"{engine.name} failed: {type(exc).__name__}: {exc}"[:300], reason=engine.name))
    return out


def _batches(items: list[_Work]) -> list[list[_Work]]:
    batches, current, size = [], [], 0
    for item in items:
        current.append(item)
        size += len(item.data)
        if len(current) >= _BATCH_FILES or size >= _BATCH_BYTES:
            batches.append(current)
            current, size = [], 0
    if current:
        batches.append(current)
    return batches


def _run_pool(misses: list[_Work], engine_names: list[str], options: dict[str, dict[str, Any]], limits: RunLimits,
              jobs: int, record: Callable[[str, dict[str, Any], str], None], out: RunOutput) -> None:
    """Run batches in worker processes. When a worker dies every batch in flight fails with it, so
    those files are retried one by one, each alone in its own worker; a file that still kills its
    worker is named in a note and skipped."""
    lost = _pool_round(_batches(misses), engine_names, options, limits, jobs, record)
    for item in (w for batch in lost for w in batch):
        if _pool_round([[item]], engine_names, options, limits, 1, record):
            out.notes.append(Note("error", f"{item.relpath}: analysis crashed its worker process; file skipped",
                                  path=item.relpath, reason="crash"))


def _pool_round(batches: list[list[_Work]], engine_names: list[str], options: dict[str, dict[str, Any]],
                limits: RunLimits, jobs: int, record: Callable[[str, dict[str, Any], str], None]) -> list[list[_Work]]:
    """Run ``batches`` in one pool; return the batches lost to a dead worker."""
    crashed: list[list[_Work]] = []
    executor = ProcessPoolExecutor(max_workers=max(1, min(jobs, len(batches))), mp_context=get_context("fork"),
                                   initializer=_init_worker,
                                   initargs=(engine_names, options, limits.file_timeout, limits.file_memory_mb))
    try:
        pending: dict[Future, list[_Work]] = {}
        for batch in batches:
            payload = [(w.relpath, w.abspath, w.language, w.data) for w in batch]
            pending[executor.submit(_analyse_batch, payload)] = batch
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                batch = pending.pop(future)
                try:
                    results = future.result()
                except BrokenProcessPool:
                    crashed.append(batch)
                    continue
                keys = {w.relpath: w.key for w in batch}
                for relpath, payload in results:
                    record(relpath, payload, keys[relpath])
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
    return crashed
