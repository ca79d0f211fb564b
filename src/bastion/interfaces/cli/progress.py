"""A progress bar on a terminal, for scans that take more than a moment; nothing when output is piped."""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager
from typing import Callable, Iterator

_DELAY = 0.75  # seconds before a bar appears: quick scans stay silent


@contextmanager
def terminal_progress(enabled: bool = True) -> Iterator[Callable[[int, int], None] | None]:
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    started = time.monotonic()
    bar = Progress(TextColumn("scanning"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   console=Console(stderr=True), transient=True)
    task = None

    def update(done: int, total: int) -> None:
        nonlocal task
        if task is None:
            if time.monotonic() - started < _DELAY or done >= total:
                return
            bar.start()
            task = bar.add_task("scan", total=total)
        bar.update(task, completed=done, total=total)

    try:
        yield update
    finally:
        if task is not None:
            bar.stop()


@contextmanager
def phase_progress(enabled: bool = True) -> Iterator[Callable[[str, int, int], None] | None]:
    """A live line for runs without a known total (dast): the phase, requests sent, operations covered."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console

    status = Console(stderr=True).status("starting")
    status.start()

    def update(phase: str, sent: int, covered: int) -> None:
        status.update(f"{phase}: {sent} requests sent, {covered} operations covered")

    try:
        yield update
    finally:
        status.stop()
