"""The engine runner: paths to workers, results to the cache, the project pass, workspace engines once.

The main process hands out paths; a pool of worker processes (:mod:`bastion.pipeline.pool`),
one per core by default, reads each file, sniffs it, looks it up in the cache
and analyses the misses under the budgets (:mod:`bastion.pipeline.worker`). Here skips
are counted and fresh results stored. Engines that analyse across files
(``FileEngine.cross_file``) only read each file's imports in that first pass;
their project pass (:mod:`bastion.pipeline.project_pass`) then analyses every
file once, in import order. Workspace engines run once.
"""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from bastion import __version__
from bastion.pipeline.cache import ResultCache
from bastion.core.engine_api import CannotCheck, FileEngine, WorkspaceContext, WorkspaceEngine, usable_cpus
from bastion.pipeline.filters import Suppression
from bastion.core.model import Finding, Note
from bastion.pipeline.pool import run_in_pool
from bastion.pipeline.project_pass import ProjectSchedule, run_project_pass
from bastion.pipeline.worker import FileBudgetExceeded, Outcome, Task, WorkerSetup, budgets, cache_key, inline_budgets

Progress = Callable[[int, int], None]
#: Up to this many files, one worker process (starting more costs more than they save).
_ONE_WORKER_MAX_FILES = 4
#: A workspace engine reads many files in one run (every lockfile of a monorepo): ten files' time budget.
_WORKSPACE_TIMEOUT_FILES = 10
#: The shape of cached results; a change makes earlier entries misses (2: a cross-file engine's first pass only
#: reads the file's imports, its findings come from the project pass).
_RESULT_FORMAT = "results-2"
#: Skips worth a note naming the file; the rest (binary, minified, ...) are only counted.
_NOTED_SKIPS = ("too-large", "unreadable", "not-a-regular-file")


@dataclass
class RunLimits:
    jobs: int = 0
    file_timeout: float = 30.0
    file_memory_mb: int = 2048
    max_file_size: int = 2 * 1024 * 1024
    skip_vendored: bool = True  # skip files that are copies of known libraries or bundles


@dataclass
class RunOutput:
    findings: list[Finding] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    suppressions: dict[str, list[Suppression]] = field(default_factory=dict)
    files_scanned: int = 0
    lines_scanned: int = 0
    files_from_cache: int = 0
    files_rechecked: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    #: A few paths per skip reason, for the notes that name what was left out (vendored copies found by content).
    skipped_examples: dict[str, list[str]] = field(default_factory=dict)

    def skip(self, reason: str, path: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1
        examples = self.skipped_examples.setdefault(reason, [])
        if len(examples) < 5:
            examples.append(path)
        if reason in _NOTED_SKIPS:
            self.notes.append(Note("skipped", f"skipped {path}: {reason}", path=path, reason=reason))

    def absorb(self, relpath: str, payload: dict[str, Any]) -> None:
        self.files_scanned += 1
        self.lines_scanned += payload.get("lines", 0)
        self.findings.extend(Finding.from_dict(f) for f in payload["findings"])
        self.notes.extend(Note(**n) for n in payload["notes"])
        if payload.get("suppressions"):
            self.suppressions[relpath] = [Suppression.from_dict(s) for s in payload["suppressions"]]


class _Executor:
    """Hands tasks to worker processes (one for a few files or ``-j1``) and collects their outcomes.

    Workers read the files, look them up in the cache and analyse the misses;
    here skips are counted, fresh payloads stored in the cache, and results
    gathered by path.
    """

    def __init__(self, setup: WorkerSetup, jobs: int, cache: ResultCache | None, out: RunOutput):
        self.setup, self.jobs, self.cache, self.out = setup, jobs, cache, out
        self.digests: dict[str, str] = {}  # relpath -> content digest as the first pass read it

    def _cached(self, task: Task) -> dict[str, Any] | None:
        """A project-pass task answered from the cache here, by the digest the first pass read (no worker, no
        second read of the file); None: to analyse. A result that read other files goes to a worker, which
        checks them."""
        digest = self.digests.get(task.relpath)
        if not digest or not self.cache or not self.cache.usable:
            return None
        hit = self.cache.lookup(cache_key(task, digest, self.setup.salt))
        return ResultCache.decode(hit[1]) if hit is not None and not hit[0] else None

    def _recorded(self, outcome: Outcome, first_pass: bool) -> dict[str, Any] | None:
        """Count a skip, store a fresh payload in the cache; the file's payload (None if skipped or unreadable)."""
        if outcome.digest and first_pass:
            self.digests[outcome.relpath] = outcome.digest
        if outcome.skipped:
            self.out.skip(outcome.skipped, outcome.relpath)
        elif outcome.stored is not None:
            payload = ResultCache.decode(outcome.stored)
            if payload is None:
                self.out.notes.append(Note("error", f"{outcome.relpath}: its cached result is unreadable; "
                                           "scan with --no-cache", path=outcome.relpath, reason="cache"))
            else:
                self.out.files_from_cache += first_pass
            return payload
        elif outcome.payload is not None:
            if outcome.key and self.cache and not _incomplete(outcome.payload):
                self.cache.put(outcome.key, outcome.payload)
            return outcome.payload
        return None

    def _crashed(self, task: Task) -> None:
        self.out.notes.append(Note("failure", f"{task.relpath}: analysis crashed its worker process; "
                                   "file skipped", path=task.relpath, reason="crash"))

    def run(self, tasks: Iterable[Task], on_done: Callable[[], None] | None = None) -> dict[str, dict[str, Any]]:
        """The first pass: payloads by path, from the cache where possible, else analysed (and then cached).

        ``tasks`` may still be coming (files being discovered): workers start on the first ones.
        """
        results: dict[str, dict[str, Any]] = {}
        stream = iter(tasks)
        head = list(itertools.islice(stream, _ONE_WORKER_MAX_FILES + 1))
        if not head:
            return results

        def record(outcome: Outcome) -> None:
            payload = self._recorded(outcome, True)
            if payload is not None:
                results[outcome.relpath] = payload
            if on_done:
                on_done()

        # Never in this process, even for one file: only a process that can be ended bounds a native parse
        # (worker.py); starting one worker costs a few tens of milliseconds.
        jobs = self.jobs if len(head) > _ONE_WORKER_MAX_FILES else 1
        for task in run_in_pool(itertools.chain(head, stream), (self.setup, None), jobs, record):
            self._crashed(task)
        if self.cache:
            self.cache.flush()
        return results

    def drive(self, schedule: ProjectSchedule, on_start: Callable[[int], None], on_done: Callable[[], None]) -> None:
        """The project pass: ready tasks to workers as they become ready (answered from the cache here when
        possible), each result back to the schedule, which may make more tasks ready."""

        def take(limit: int) -> list[Task]:
            while True:
                tasks = schedule.take(limit)
                on_start(len(tasks))
                misses = []
                for task in tasks:
                    payload = self._cached(task)
                    if payload is None:
                        misses.append(task)
                    else:
                        schedule.finish(task.relpath, payload)
                        on_done()
                if misses or not tasks:
                    return misses

        def record(outcome: Outcome) -> None:
            schedule.finish(outcome.relpath, self._recorded(outcome, False))
            on_done()

        while not schedule.done:
            lost = run_in_pool(take, (self.setup, schedule.published), self.jobs, record, schedule.updates)
            for task in lost:
                self._crashed(task)
                schedule.lost(task.relpath)
            if not lost:
                break
        if self.cache:
            self.cache.flush()


def _incomplete(payload: dict[str, Any]) -> bool:
    """A result cut short (a time or memory budget, an engine failure: an error note) is never cached: a budget
    blown on a busy machine would otherwise stay in every later scan of the unchanged file."""
    return any(note.get("kind") in ("failure", "error") for note in payload["notes"])


def run_scan(root: Path, relpaths: Iterable[str], engine_names: list[str], engines: list[Any],
             options: dict[str, dict[str, Any]], limits: RunLimits, cache: ResultCache | None,
             config_digest: str, progress: Progress | None = None, stdin: tuple[str, bytes] | None = None,
             workspace_settings: dict[str, Any] | None = None) -> RunOutput:
    """Scan ``relpaths`` under ``root`` (or one stdin buffer) with the given engines.

    ``relpaths`` may be a walk still in progress: files go to workers as they are found.
    """
    out = RunOutput()
    file_engines = [e for e in engines if isinstance(e, FileEngine)]
    salt = "|".join([__version__, _RESULT_FORMAT, config_digest, *sorted(f"{e.name}:{e.cache_salt()}" for e in file_engines)])
    setup = WorkerSetup(engine_names, options, limits.file_timeout, limits.file_memory_mb, limits.max_file_size,
                        salt, str(cache.path) if cache and cache.usable else None,
                        cache.secret if cache and cache.usable else b"", limits.skip_vendored)
    executor = _Executor(setup, limits.jobs or usable_cpus(), cache, out)
    for engine in file_engines:
        engine.prepare(setup.options.get(engine.name, {}))
    counter = {"done": 0, "total": 0}
    produced: dict[str, Task] = {}

    def file_tasks() -> Iterator[Task]:
        prefix = os.path.join(root, "")
        stream = [(stdin[0], stdin[0], stdin[1])] if stdin else ((r, prefix + r, None) for r in relpaths)
        for relpath, abspath, data in stream:
            task = produced[relpath] = Task(relpath, abspath, data)
            counter["total"] += 1
            yield task

    def tick() -> None:
        counter["done"] += 1
        if progress:
            progress(counter["done"], counter["total"])

    payloads = executor.run(file_tasks(), on_done=tick) if file_engines else {}

    def more(tasks: int) -> None:
        counter["total"] += tasks

    for engine in (e for e in file_engines if e.cross_file):
        out.files_rechecked += run_project_pass(engine.name, produced, payloads,
                                                lambda schedule: executor.drive(schedule, more, tick), executor.jobs)
    for relpath in produced:
        if relpath in payloads:
            out.absorb(relpath, payloads[relpath])

    paths = list(produced) if file_engines and not stdin else list(relpaths)
    for engine in engines:
        if isinstance(engine, WorkspaceEngine):
            context = WorkspaceContext(root, paths, options.get(engine.name, {}), workspace_settings or {})
            _run_workspace_engine(engine, context, limits, out)
    return out


def _run_workspace_engine(engine: WorkspaceEngine, context: WorkspaceContext, limits: RunLimits,
                          out: RunOutput) -> None:
    """One workspace engine in the main process, under a time budget of ten files and the per-file memory
    budget; what it yielded before a budget ran out is kept, with a note saying it is incomplete."""
    seconds = limits.file_timeout * _WORKSPACE_TIMEOUT_FILES
    failure, kind = None, "error"
    try:
        with inline_budgets(limits.file_memory_mb), budgets(seconds):
            for item in engine.check_workspace(context):
                (out.notes if isinstance(item, Note) else out.findings).append(item)
    except FileBudgetExceeded:
        failure = f"exceeded the {seconds:g}s time budget; partial results"
    except MemoryError:
        failure = "exceeded the memory budget; partial results"
    except CannotCheck:
        raise  # the engine cannot do its job at all (no advisory data): the scan stops, never a quiet pass
    except Exception as exc:  # one engine's failure is a note and exit 2; the other engines still report
        failure = f"failed: {type(exc).__name__}: {exc}"
        kind = "failure"
    if failure:
        out.notes.append(Note(kind, f"{engine.name} {failure}"[:300], reason=engine.name))
