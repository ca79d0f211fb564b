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
reported back as lost. A worker that ended itself at the hard time budget (its
CPU timer's signal: native code held on past the budget) is not a crash: it
said in a shared slot which task it was on, that file gets the budget note,
and only the other files are run again.

Tasks may also become ready while others run (the project pass starts a
file as soon as the files it imports have settled: :class:`Take` says what is
ready now, and the pool asks again after every result). Such tasks need other
files' summaries, which change during the run: the caller keeps a log of
changes (:data:`Updates`), and a worker gets the part of it it has not seen
with its next batch, so it knows every summary settled before its tasks were
handed out. A worker started later is forked with the summaries as they are
then, and reads the log from there.
"""

from __future__ import annotations

import itertools
import signal
import time
from collections import deque
from multiprocessing import get_context
from multiprocessing.connection import Connection, wait
from typing import Any, Callable, Iterable

from bastion.pipeline.worker import Outcome, Task, init_worker, run_batch, stopped_outcome

OnResult = Callable[[Outcome], None]
#: Up to n tasks that are ready now ([] when none is, for the moment or for good).
Take = Callable[[int], list[Task]]
#: Changes to the summaries workers know, in order: (name, summary), None for a summary withdrawn.
Updates = list[tuple[str, "dict[str, Any] | None"]]
_IN_FLIGHT_PER_WORKER = 2  # a few KB of paths each: sends never fill a pipe, so they never block
_BATCH_SECONDS = 0.2
_MAX_BATCH = 256


class _Batcher:
    """Cuts the task stream into batches worth about ``_BATCH_SECONDS`` of a worker's time each."""

    def __init__(self, take: Take, largest: int):
        self.take, self.largest = take, largest
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
        return self.take(max(1, min(size, self.largest)))


def stream(tasks: Iterable[Task]) -> Take:
    """The tasks of a stream (perhaps still being produced), in order."""
    iterator = iter(tasks)
    return lambda n: list(itertools.islice(iterator, n))


def run_in_pool(tasks: Iterable[Task] | Take, initargs: tuple, jobs: int, on_result: OnResult,
                updates: Updates | None = None) -> list[Task]:
    """Run ``tasks`` (a stream, or what :data:`Take` says is ready, until nothing is ready and nothing runs) in up to
    ``jobs`` worker processes; return the tasks whose worker kept dying. With ``updates``, each batch carries the
    changes a worker has not seen (its ``initargs`` must hold the summaries as they are when it starts)."""
    take = tasks if callable(tasks) else stream(tasks)
    lost = _run(_Batcher(take, _MAX_BATCH), initargs, jobs, on_result, updates)
    lost = _run(_Batcher(stream(lost), 1), initargs, jobs, on_result, updates)
    return [task for task in lost if _run(_Batcher(stream([task]), 1), initargs, 1, on_result, updates)]


class _Worker:
    """A forked worker process, its end of the pipe, and its batches in flight (answered in order)."""

    def __init__(self, initargs: tuple, updates: Updates | None):
        context = get_context("fork")
        self.seen = len(updates) if updates is not None else 0  # forked knowing the summaries up to here
        self.conn, child = context.Pipe(duplex=True)
        self.current = context.RawValue("i", -1)  # the index in its running batch of the task it is on
        self.process = context.Process(target=_serve, args=(child, (*initargs, self.current)), daemon=True)
        self.process.start()
        child.close()
        self.in_flight: deque[list[Task]] = deque()

    def send(self, batch: list[Task], updates: Updates | None) -> None:
        """Hand over a batch with the summary changes this worker has not seen (raises OSError if it died)."""
        news = updates[self.seen:] if updates is not None else []
        self.conn.send((news, batch))
        self.seen += len(news)
        self.in_flight.append(batch)

    def stopped_at_budget(self) -> Task | None:
        """The task a dead worker was on when it ended itself at the hard time budget (None: another death)."""
        self.process.join(timeout=5)
        if self.process.exitcode != -signal.SIGPROF or not self.in_flight:
            return None
        running = self.in_flight[0]
        return running[self.current.value] if 0 <= self.current.value < len(running) else None

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
            message = conn.recv()
        except EOFError:
            return
        if message is None:
            return
        updates, batch = message
        started = time.perf_counter()
        results = run_batch(batch, updates)
        conn.send((results, time.perf_counter() - started))


def _run(batcher: _Batcher, initargs: tuple, jobs: int, on_result: OnResult, updates: Updates | None) -> list[Task]:
    """Run every task; return those that were in flight in a worker that died."""
    lost: list[Task] = []
    workers: list[_Worker] = []
    exhausted = False
    interrupted = True
    try:
        while True:
            if not exhausted:  # a stream ends once; ready tasks may come again after any result
                exhausted = _top_up(workers, batcher, initargs, jobs, lost, updates)
            busy = {w.conn: w for w in workers if w.in_flight}
            if not busy:
                break
            for conn in wait(list(busy)):
                worker = busy[conn]
                try:
                    results, seconds = conn.recv()
                except (EOFError, OSError):  # the worker died: its batches are lost, a fresh one takes over
                    stopped = worker.stopped_at_budget()
                    if stopped is not None:
                        on_result(stopped_outcome(stopped, initargs[0]))
                    lost.extend(task for batch in worker.in_flight for task in batch if task is not stopped)
                    worker.in_flight.clear()
                    workers.remove(worker)
                    worker.stop()
                    continue
                batcher.learn(len(worker.in_flight.popleft()), seconds)
                for outcome in results:
                    on_result(outcome)
                exhausted = False
        interrupted = False
    finally:
        for worker in workers:
            worker.stop(now=interrupted)
    return lost


def _top_up(workers: list[_Worker], batcher: _Batcher, initargs: tuple, jobs: int, lost: list[Task],
            updates: Updates | None) -> bool:
    """Give every worker batches up to the in-flight limit, starting workers as needed; True once no task is ready.

    Idle workers are served first, so a task that just became ready goes where it starts at once.
    """
    while True:
        open_slots = sorted((w for w in workers if len(w.in_flight) < _IN_FLIGHT_PER_WORKER),
                            key=lambda w: len(w.in_flight))
        if open_slots and open_slots[0].in_flight or not open_slots:
            if len(workers) < jobs:
                open_slots.insert(0, None)  # type: ignore[arg-type] - a worker to start for the next batch
            elif not open_slots:
                return False
        worker = open_slots[0]
        batch = batcher.next()
        if not batch:
            return True
        if worker is None:
            worker = _Worker(initargs, updates)
            workers.append(worker)
        try:
            worker.send(batch, updates)
        except OSError:  # it died between batches: retire it (a fresh one takes the slot); rerun its tasks
            lost.extend(task for group in [*worker.in_flight, batch] for task in group)
            workers.remove(worker)
            worker.stop()
