"""Running worker tasks in processes, and surviving the death of a worker.

Tasks are grouped into batches and handed out as they come: the caller may
still be discovering files while the first batches are analysed. Only a few
batches per worker are in flight at once, so when a worker dies (a crash in
native code, the kernel's OOM killer) few batches die with it: the rest go on
in a fresh pool, and the lost ones are retried one file at a time, each alone
in its own worker; a file that still kills its worker is reported back as
lost.
"""

from __future__ import annotations

import itertools
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from typing import Callable, Iterable, Iterator

from bastion.worker import Outcome, Task, init_worker, run_batch

OnResult = Callable[[Outcome], None]
_BATCH_FILES = 32
_BATCH_BYTES = 512 * 1024
_IN_FLIGHT_PER_WORKER = 3


def batches(tasks: Iterable[Task]) -> Iterator[list[Task]]:
    """Group tasks so each batch is worth a round trip: a few files, or half a megabyte of bytes sent along."""
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
    groups: Iterator[list[Task]] | None = batches(tasks)
    suspects: list[list[Task]] = []
    while groups is not None:
        lost, groups = _round(groups, initargs, jobs, on_result)
        suspects.extend(lost)
    return [task for task in itertools.chain.from_iterable(suspects)
            if _round(iter([[task]]), initargs, 1, on_result)[0]]


def _round(groups: Iterator[list[Task]], initargs: tuple, jobs: int,
           on_result: OnResult) -> tuple[list[list[Task]], Iterator[list[Task]] | None]:
    """Run ``groups`` in one pool until they run out or a worker dies.

    Returns the batches lost with a dead worker, and the groups still to run
    (None when all ran).
    """
    lost: list[list[Task]] = []
    pending: dict[Future, list[Task]] = {}
    rest: Iterator[list[Task]] | None = None
    executor = ProcessPoolExecutor(max_workers=max(1, jobs), mp_context=get_context("fork"),
                                   initializer=init_worker, initargs=initargs)
    try:
        while True:
            while rest is None and len(pending) < jobs * _IN_FLIGHT_PER_WORKER:
                group = next(groups, None)
                if group is None:
                    break
                try:
                    pending[executor.submit(run_batch, group)] = group
                except BrokenProcessPool:
                    rest = itertools.chain([group], groups)
            if not pending:
                break
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                group = pending.pop(future)
                try:
                    results = future.result()
                except BrokenProcessPool:
                    lost.append(group)
                    rest = rest or groups
                    continue
                for outcome in results:
                    on_result(outcome)
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
    return lost, rest
