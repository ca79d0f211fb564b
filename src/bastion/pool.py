"""Running worker tasks in processes, and surviving the death of a worker.

Each worker is a forked process with a pipe of its own; the main thread alone
hands out batches, waits on the pipes and reads results. No helper threads:
with a queue feeder and a result thread (as in ``concurrent.futures``) every
batch crossed three threads of one interpreter, and on a busy machine the
handovers of the GIL between them cost more than scanning small files.

Tasks are grouped into batches and handed out as they come: the caller may
still be discovering files while the first batches are analysed. A worker has
a few batches in flight at most, so when one dies (a crash in native code, the
kernel's OOM killer) only its own batches are lost: the others go on, a fresh
worker takes its place, and the lost files are run again one per batch; a file
that kills its worker once more is retried alone, and if it still does, it is
reported back as lost.
"""

from __future__ import annotations

from collections import deque
from multiprocessing import get_context
from multiprocessing.connection import Connection, wait
from typing import Callable, Iterable, Iterator

from bastion.worker import Outcome, Task, init_worker, run_batch

OnResult = Callable[[Outcome], None]
_BATCH_FILES = 64
_BATCH_BYTES = 512 * 1024
_IN_FLIGHT_PER_WORKER = 3  # a few KB of paths each: sends never fill a pipe, so they never block


def batches(tasks: Iterable[Task]) -> Iterator[list[Task]]:
    """Group tasks so each batch is worth a round trip: a few dozen files, or half a megabyte of bytes sent along."""
    current, size = [], 0
    for task in tasks:
        current.append(task)
        size += len(task.data or b"")
        if len(current) >= _BATCH_FILES or size >= _BATCH_BYTES:
            yield current
            current, size = [], 0
    if current:
        yield current


def run_in_pool(tasks: Iterable[Task], initargs: tuple, jobs: int, on_result: OnResult) -> list[Task]:
    """Run ``tasks`` in up to ``jobs`` worker processes; return the tasks whose worker kept dying."""
    lost = _run(batches(tasks), initargs, jobs, on_result)
    suspects = [task for batch in lost for task in batch]
    lost = _run(iter([[task] for task in suspects]), initargs, jobs, on_result)
    return [task for batch in lost for task in batch if _run(iter([batch]), initargs, 1, on_result)]


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
        conn.send(run_batch(batch))


def _run(groups: Iterator[list[Task]], initargs: tuple, jobs: int, on_result: OnResult) -> list[list[Task]]:
    """Run every group; return the batches that were in flight in a worker that died."""
    lost: list[list[Task]] = []
    workers: list[_Worker] = []
    exhausted = False
    interrupted = True
    try:
        while True:
            if not exhausted:
                exhausted = _top_up(workers, groups, initargs, jobs, lost)
            busy = {w.conn: w for w in workers if w.in_flight}
            if not busy:
                break
            for conn in wait(list(busy)):
                worker = busy[conn]
                try:
                    results = conn.recv()
                except (EOFError, OSError):  # the worker died: its batches are lost, a fresh one takes over
                    lost.extend(worker.in_flight)
                    worker.in_flight.clear()
                    workers.remove(worker)
                    worker.stop()
                    continue
                worker.in_flight.popleft()
                for outcome in results:
                    on_result(outcome)
        interrupted = False
    finally:
        for worker in workers:
            worker.stop(now=interrupted)
    return lost


def _top_up(workers: list[_Worker], groups: Iterator[list[Task]], initargs: tuple, jobs: int,
            lost: list[list[Task]]) -> bool:
    """Give every worker batches up to the in-flight limit, starting workers as needed; True once groups ran out."""
    slot = 0
    while True:
        if slot == len(workers):
            if slot == jobs:
                return False
            workers.append(_Worker(initargs))
        worker = workers[slot]
        while len(worker.in_flight) < _IN_FLIGHT_PER_WORKER:
            group = next(groups, None)
            if group is None:
                return True
            try:
                worker.conn.send(group)
            except OSError:  # it died between batches: retire it (a fresh one takes the slot); rerun its batches
                lost.extend([*worker.in_flight, group])
                workers.remove(worker)
                worker.stop()
                break
            worker.in_flight.append(group)
        else:
            slot += 1
