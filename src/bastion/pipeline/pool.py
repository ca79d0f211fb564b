"""Running worker tasks in processes, and surviving the death of a worker.

Each worker is a forked process with a pipe of its own; the main thread alone
hands out batches, waits on the pipes and reads results. No helper threads:
with a queue feeder and a result thread (as in ``concurrent.futures``) every
batch crossed three threads of one interpreter, and on a busy machine the
handovers of the GIL between them cost more than scanning small files.

Tasks are handed out as they come (the caller may still be discovering
files) in batches sized to take about 0.2 s each, judged by how long the
files so far took: hundreds of small files per round trip for a secrets
scan, a few for taint analysis, so neither round trips nor one worker's
backlog at the end of the scan dominate. A worker has two batches at most
(one running, one waiting), so when one dies (a crash in native code, the
kernel's OOM killer) only its own batches are lost: the others go on, a fresh
worker takes its place, and the lost files are run again one per batch; a file
that kills its worker once more is retried alone, and if it still does, it is
reported back as lost.
"""

from __future__ import annotations

import itertools
import time
from collections import deque
from multiprocessing import get_context
from multiprocessing.connection import Connection, wait
from typing import Callable, Iterable, Iterator

from bastion.pipeline.worker import Outcome, Task, init_worker, run_batch

OnResult = Callable[[Outcome], None]
_IN_FLIGHT_PER_WORKER = 2  # a few KB of paths each: sends never fill a pipe, so they never block
_BATCH_SECONDS = 0.2
_MAX_BATCH = 256


class _Batcher:
    """Cuts the task stream into batches worth about ``_BATCH_SECONDS`` of a worker's time each."""

    def __init__(self, tasks: Iterator[Task], largest: int):
        self.tasks, self.largest = tasks, largest
        self.seconds_per_file: float | None = None  # unknown until a batch comes back: start small

    def learn(self, files: int, seconds: float) -> None:
        observed = seconds / max(files, 1)
        previous = self.seconds_per_file
        self.seconds_per_file = observed if previous is None else 0.7 * previous + 0.3 * observed

    def next(self) -> list[Task]:
        if self.seconds_per_file is None:
            size = 4
        else:
            size = int(_BATCH_SECONDS / max(self.seconds_per_file, 1e-6))
        return list(itertools.islice(self.tasks, max(1, min(size, self.largest))))


def run_in_pool(tasks: Iterable[Task], initargs: tuple, jobs: int, on_result: OnResult) -> list[Task]:
    """Run ``tasks`` in up to ``jobs`` worker processes; return the tasks whose worker kept dying."""
    lost = _run(_Batcher(iter(tasks), _MAX_BATCH), initargs, jobs, on_result)
    lost = _run(_Batcher(iter(lost), 1), initargs, jobs, on_result)
    return [task for task in lost if _run(_Batcher(iter([task]), 1), initargs, 1, on_result)]


class _Worker:
    """A forked worker process, its end of the pipe, and its batches in flight (answered in order)."""

    def __init__(self, initargs: tuple):
        context = get_context("fork")
        self.conn, child = context.Pipe(duplex=True)
        self.process = context.Process(target=_serve, args=(child, initargs), daemon=True)
        self.process.start()
        child.close()
        self.in_flight: deque[list[Task]] = deque()

    def stop(self, now: bool = False) -> None:
        """Let an idle worker finish (or end it at once: the scan is being interrupted)."""
        if not now:
            try:
                self.conn.send(None)
            except OSError:
                pass
            self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


def _serve(conn: Connection, initargs: tuple) -> None:
    """A worker's life: set up once, then answer batches until told to stop (None) or the pipe closes."""
    init_worker(*initargs)
    while True:
        try:
            batch = conn.recv()
        except EOFError:
            return
        if batch is None:
            return
        started = time.perf_counter()
        results = run_batch(batch)
        conn.send((results, time.perf_counter() - started))


def _run(batcher: _Batcher, initargs: tuple, jobs: int, on_result: OnResult) -> list[Task]:
    """Run every task; return those that were in flight in a worker that died."""
    lost: list[Task] = []
    workers: list[_Worker] = []
    exhausted = False
    interrupted = True
    try:
        while True:
            if not exhausted:
                exhausted = _top_up(workers, batcher, initargs, jobs, lost)
            busy = {w.conn: w for w in workers if w.in_flight}
            if not busy:
                break
            for conn in wait(list(busy)):
                worker = busy[conn]
                try:
                    results, seconds = conn.recv()
                except (EOFError, OSError):  # the worker died: its batches are lost, a fresh one takes over
                    lost.extend(task for batch in worker.in_flight for task in batch)
                    worker.in_flight.clear()
                    workers.remove(worker)
                    worker.stop()
                    continue
                batcher.learn(len(worker.in_flight.popleft()), seconds)
                for outcome in results:
                    on_result(outcome)
        interrupted = False
    finally:
        for worker in workers:
            worker.stop(now=interrupted)
    return lost


def _top_up(workers: list[_Worker], batcher: _Batcher, initargs: tuple, jobs: int, lost: list[Task]) -> bool:
    """Give every worker batches up to the in-flight limit, starting workers as needed; True once tasks ran out."""
    slot = 0
    while True:
        if slot == len(workers):
            if slot == jobs:
                return False
            workers.append(_Worker(initargs))
        worker = workers[slot]
        while len(worker.in_flight) < _IN_FLIGHT_PER_WORKER:
            batch = batcher.next()
            if not batch:
                return True
            try:
                worker.conn.send(batch)
            except OSError:  # it died between batches: retire it (a fresh one takes the slot); rerun its tasks
                lost.extend(task for group in [*worker.in_flight, batch] for task in group)
                workers.remove(worker)
                worker.stop()
                break
            worker.in_flight.append(batch)
        else:
            slot += 1
