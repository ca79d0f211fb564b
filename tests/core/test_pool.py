"""Batch sizing in the worker pool: small while nothing is known, then about _BATCH_SECONDS of work per batch."""

from __future__ import annotations

from bastion.pipeline.pool import _BATCH_SECONDS, _MAX_BATCH, _Batcher, stream
from bastion.pipeline.worker import Task


def tasks(n: int):
    return iter([Task(f"f{i}.py", f"/tmp/f{i}.py") for i in range(n)])


def test_first_batches_are_small_then_follow_the_observed_cost():
    batcher = _Batcher(stream(tasks(10_000)), _MAX_BATCH)
    assert len(batcher.next()) == 4
    batcher.learn(4, 0.0004)  # 0.1 ms a file: a secrets scan of small files
    assert len(batcher.next()) == _MAX_BATCH
    slow = _Batcher(stream(tasks(100)), _MAX_BATCH)
    slow.learn(4, 8 * _BATCH_SECONDS)  # twice a batch's worth a file: taint analysis of large modules
    assert len(slow.next()) == 1


def test_sizes_adapt_when_files_get_heavier_and_the_stream_ends_cleanly():
    batcher = _Batcher(stream(tasks(300)), _MAX_BATCH)
    batcher.learn(100, 0.01)
    big = len(batcher.next())
    for _ in range(5):
        batcher.learn(10, 0.1)
    assert len(batcher.next()) < big
    while batcher.next():
        pass
    assert batcher.next() == []


def test_retry_batches_hold_one_file():
    batcher = _Batcher(stream(tasks(3)), 1)
    batcher.learn(1, 0.0)
    assert [len(batcher.next()) for _ in range(4)] == [1, 1, 1, 0]
