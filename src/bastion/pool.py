"""Running worker tasks in processes, and surviving the death of a worker.

When a worker dies (a crash in native code, the kernel's OOM killer) every
batch in flight fails with it, so those files are retried one by one, each
alone in its own worker; a file that still kills its worker is reported back
as lost.
"""

from __future__ import annotations

from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from typing import Callable

from bastion.worker import Outcome, Task, init_worker, run_batch

OnResult = Callable[[Outcome], None]
_BATCH_FILES = 16
_BATCH_BYTES = 512 * 1024


def batches(tasks: list[Task]) -> list[list[Task]]:
    """Group tasks so each batch is worth a round trip: a few files, or half a megabyte of bytes sent along."""
    groups, current, size = [], [], 0
    for task in tasks:
        current.append(task)
        size += len(task.data or b"")
        if len(current) >= _BATCH_FILES or size >= _BATCH_BYTES:
            groups.append(current)
            current, size = [], 0
    if current:
        groups.append(current)
    return groups


def run_in_pool(tasks: list[Task], initargs: tuple, jobs: int, on_result: OnResult) -> list[Task]:
    """Run ``tasks`` in up to ``jobs`` worker processes; return the tasks whose worker kept dying."""
    lost = _round(batches(tasks), initargs, jobs, on_result)
    return [task for task in (t for batch in lost for t in batch) if _round([[task]], initargs, 1, on_result)]


def _round(groups: list[list[Task]], initargs: tuple, jobs: int, on_result: OnResult) -> list[list[Task]]:
    """Run ``groups`` in one pool; return the batches lost to a dead worker."""
    if not groups:
        return []
    crashed: list[list[Task]] = []
    executor = ProcessPoolExecutor(max_workers=max(1, min(jobs, len(groups))), mp_context=get_context("fork"),
                                   initializer=init_worker, initargs=initargs)
    try:
        pending: dict[Future, list[Task]] = {executor.submit(run_batch, group): group for group in groups}
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                group = pending.pop(future)
                try:
                    results = future.result()
                except BrokenProcessPool:
                    crashed.append(group)
                    continue
                for outcome in results:
                    on_result(outcome)
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
    return crashed
