"""What runs in a worker process: one file through the engines, under a time and memory budget.

A task names a file and a mode:

- ``"file"``: every engine that wants the file checks it over one shared
  parse, and engines that export summaries for cross-file analysis summarize
  it (the first, per-file pass);
- ``"project"``: one engine re-checks and re-summarizes the file knowing the
  other files' summaries (the project pass, :mod:`bastion.project_pass`).

Whatever happens inside, the result is a JSON-ready payload: exceptions,
blown budgets and exhausted memory become notes naming the file.
"""

from __future__ import annotations

import os
import signal
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator

from bastion.engine_api import FileContext, FileEngine, SourceFile
from bastion.filters import parse_suppressions
from bastion.model import Finding, Note


class FileBudgetExceeded(Exception):
    """Raised inside a worker when a file's analysis runs past its time budget."""


@dataclass(frozen=True)
class Task:
    relpath: str
    abspath: str
    language: str | None
    data: bytes
    mode: str = "file"  # "file" or "project"
    engine: str | None = None  # the one engine of a "project" task


@dataclass
class WorkerState:
    engines: list[FileEngine]
    options: dict[str, dict[str, Any]]
    timeout: float
    summaries: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> summary, for project tasks


_state: WorkerState | None = None


def init_worker(engine_names: list[str], options: dict[str, dict[str, Any]], timeout: float, memory_mb: int,
                summaries: dict[str, dict[str, Any]] | None = None) -> None:
    """Load the engines once per worker process and cap its address space."""
    global _state
    from bastion.engines import load_engine

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process handles Ctrl-C
    engines = [e for e in (load_engine(n) for n in engine_names) if isinstance(e, FileEngine)]
    _state = WorkerState(engines, options, timeout, summaries or {})
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


@contextmanager
def _time_budget(seconds: float) -> Iterator[None]:
    """An interval timer that interrupts Python code running past ``seconds`` (main thread only)."""
    armed = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    if armed:
        previous = signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        if armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


def _failure(relpath: str, engine: str, what: str) -> dict[str, Any]:
    return Note("error", f"{relpath}: {engine} {what}", path=relpath, reason=engine).to_dict()


def _record(item: Finding) -> dict[str, Any]:
    record = item.to_dict()
    record["fingerprint_key"] = item.fingerprint_key
    return record


def run_task(task: Task, state: WorkerState | None = None) -> dict[str, Any]:
    """Analyse one file as ``task`` says; never raises."""
    state = state or _state
    assert state is not None, "worker used before init_worker"
    source = SourceFile(task.relpath, task.abspath, task.language, task.data)
    payload: dict[str, Any] = {"findings": [], "notes": [], "summaries": {}}
    shared: dict[str, Any] = {}
    engines = state.engines if task.mode == "file" else [e for e in state.engines if e.name == task.engine]
    try:
        with _time_budget(state.timeout):
            for engine in engines:
                ctx = FileContext(source, state.options.get(engine.name, {}), shared,
                                  summaries=state.summaries if task.mode != "file" else None)
                try:
                    if task.mode == "file" and not engine.wants(source):
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
                    payload["notes"].append(_failure(task.relpath, engine.name, message))
    except FileBudgetExceeded:
        payload["notes"].append(_failure(task.relpath, "runner",
                                         f"analysis exceeded the {state.timeout:g}s time budget; partial results"))
    if shared.get("reads"):
        payload["reads"] = shared["reads"]
    if task.mode == "file":
        payload["suppressions"] = ([s.to_dict() for s in parse_suppressions(source.lines)]
                                   if b"bastion:" in task.data else [])
        payload["lines"] = _count_lines(task.data)
    return payload


def _count_lines(data: bytes) -> int:
    """Lines as an editor counts them, without decoding the file (an engine on bytes never needs to)."""
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)


def run_batch(batch: list[Task]) -> list[tuple[str, dict[str, Any]]]:
    return [(task.relpath, run_task(task)) for task in batch]
