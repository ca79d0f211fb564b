"""The engine runner: files to workers, results to the cache, the project pass, workspace engines once.

Each file is read once in the main process (its digest keys the cache), and
cache misses go to a pool of worker processes (:mod:`bastion.pool`), one per
core by default; :mod:`bastion.worker` runs the engines under the budgets.
Then engines that summarize files for cross-file analysis get their project
pass (:mod:`bastion.project_pass`), and workspace engines run once.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from bastion import __version__
from bastion.cache import ResultCache
from bastion.engine_api import FileEngine, SourceFile, WorkspaceContext, WorkspaceEngine
from bastion.filters import Suppression
from bastion.model import Finding, Note
from bastion.pool import run_in_pool
from bastion.project_pass import dependency_digest, run_project_pass, summary_digests
from bastion.worker import Task, WorkerState, run_task
from bastion.workspace import classify_content, detect_language, read_regular_file

Progress = Callable[[int, int], None]
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
    files_rechecked: int = 0
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
        if payload.get("suppressions"):
            self.suppressions[relpath] = [Suppression.from_dict(s) for s in payload["suppressions"]]


# --- main side ----------------------------------------------------------------------------------

class _Executor:
    """Runs tasks inline (few files, or one job) or in a pool, with per-task cache lookups."""

    def __init__(self, engine_names: list[str], engines: list[FileEngine], options: dict[str, dict[str, Any]],
                 limits: RunLimits, cache: ResultCache | None, salt: str, out: RunOutput):
        self.engine_names, self.engines, self.options = engine_names, engines, options
        self.limits, self.cache, self.salt, self.out = limits, cache, salt, out
        self.jobs = limits.jobs or os.cpu_count() or 1

    def key(self, task: Task, extra: str = "") -> str:
        digest = hashlib.sha256(task.data).hexdigest()
        return ResultCache.key(task.relpath, digest, f"{self.salt}|{task.mode}|{task.engine or ''}|{extra}")

    def run(self, tasks: list[Task], summaries: dict[str, dict[str, Any]] | None = None,
            extras: dict[str, str] | None = None, on_done: Callable[[], None] | None = None) -> dict[str, dict[str, Any]]:
        """Payloads by path: from the cache where possible, else analysed (and then cached)."""
        keys = {t.relpath: self.key(t, (extras or {}).get(t.relpath, "")) for t in tasks}
        cached = self.cache.get_many(list(keys.values())) if self.cache else {}
        results: dict[str, dict[str, Any]] = {}
        misses = []
        for task in tasks:
            hit = cached.get(keys[task.relpath])
            if hit is not None and _reads_unchanged(task, hit):
                results[task.relpath] = hit
                if task.mode == "file":
                    self.out.files_from_cache += 1
                if on_done:
                    on_done()
            else:
                misses.append(task)

        def record(task: Task, payload: dict[str, Any]) -> None:
            results[task.relpath] = payload
            if self.cache:
                self.cache.put(keys[task.relpath], payload)
            if on_done:
                on_done()

        if self.jobs == 1 or len(misses) <= _INLINE_MAX_FILES:
            state = WorkerState(self.engines, self.options, self.limits.file_timeout, summaries or {})
            for task in misses:
                record(task, run_task(task, state))
        else:
            initargs = (self.engine_names, self.options, self.limits.file_timeout, self.limits.file_memory_mb,
                        summaries)
            for task in run_in_pool(misses, initargs, self.jobs, record):
                self.out.notes.append(Note("error", f"{task.relpath}: analysis crashed its worker process; "
                                           "file skipped", path=task.relpath, reason="crash"))
        if self.cache:
            self.cache.flush()
        return results


def _reads_unchanged(task: Task, payload: dict[str, Any]) -> bool:
    """A cached result stays valid only while the other files it read (``FileContext.read_related``) are unchanged."""
    reads = payload.get("reads")
    if not reads:
        return True
    from bastion.engine_api import SourceFile
    from bastion.workspace import read_confined

    root = SourceFile(task.relpath, task.abspath, task.language, b"").root
    if root is None:
        return False
    for relpath, digest in reads.items():
        try:
            if hashlib.sha256(read_confined(root, relpath, 64 * 1024 * 1024)).hexdigest() != digest:
                return False
        except (OSError, ValueError):
            return False
    return True


def run_scan(root: Path, relpaths: list[str], engine_names: list[str], engines: list[Any],
             options: dict[str, dict[str, Any]], limits: RunLimits, cache: ResultCache | None,
             config_digest: str, progress: Progress | None = None, stdin: tuple[str, bytes] | None = None,
             workspace_settings: dict[str, Any] | None = None) -> RunOutput:
    """Scan ``relpaths`` under ``root`` (or one stdin buffer) with the given engines."""
    out = RunOutput()
    file_engines = [e for e in engines if isinstance(e, FileEngine)]
    salt = "|".join([__version__, config_digest, *sorted(f"{e.name}:{e.cache_salt()}" for e in file_engines)])
    tasks = _read_tasks(root, relpaths, file_engines, limits, stdin, out)
    executor = _Executor(engine_names, file_engines, options, limits, cache, salt, out)

    counter = {"done": 0, "total": len(tasks)}

    def tick() -> None:
        counter["done"] += 1
        if progress:
            progress(counter["done"], counter["total"])

    payloads = executor.run(tasks, on_done=tick)
    by_path = {task.relpath: task for task in tasks}
    for engine in file_engines:
        execute = _project_executor(executor, payloads, engine.name, counter, tick)
        out.files_rechecked += run_project_pass(engine.name, by_path, payloads, execute)
    for task in tasks:
        if task.relpath in payloads:
            out.absorb(task.relpath, payloads[task.relpath])

    for engine in engines:
        if isinstance(engine, WorkspaceEngine):
            context = WorkspaceContext(root, list(relpaths), options.get(engine.name, {}), workspace_settings or {})
            try:
                for item in engine.check_workspace(context):
                    (out.notes if isinstance(item, Note) else out.findings).append(item)
            except Exception as exc:  # one engine's failure is a note, not a failed scan
                out.notes.append(Note("error", f"{engine.name} failed: {type(exc).__name__}: {exc}"[:300],
                                      reason=engine.name))
    return out


def _project_executor(executor: _Executor, payloads: dict[str, dict[str, Any]], engine: str,
                      counter: dict[str, int], tick: Callable[[], None]):
    """Project-pass tasks count in the progress bar and are cached under the digest of the summaries
    each file imports."""

    def execute(tasks: list[Task], by_name: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        counter["total"] += len(tasks)
        digests = summary_digests(by_name)
        extras = {t.relpath: dependency_digest(payloads[t.relpath]["summaries"][engine], digests) for t in tasks}
        return executor.run(tasks, summaries=by_name, extras=extras, on_done=tick)

    return execute


def _read_tasks(root: Path, relpaths: list[str], file_engines: list[FileEngine], limits: RunLimits,
                stdin: tuple[str, bytes] | None, out: RunOutput) -> list[Task]:
    """Read every file once; skip what no file engine should see, and say why."""
    tasks = []
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
        if not any(engine.wants(SourceFile(relpath, abspath, language, data)) for engine in file_engines):
            out.skip("no-engine", relpath)
            continue
        tasks.append(Task(relpath, abspath, language, data))
    return tasks
