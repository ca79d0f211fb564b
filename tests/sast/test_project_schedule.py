"""The project pass's ready queue gives the findings of a strictly sequential bottom-up order, whatever the order.

A real Python project (chains, a fan-in, an import cycle whose flow crosses
it) is scanned three times from cold: by the ready queue with two workers as
users run it, and one file at a time, each started only after the previous one
finished, in two other orders that still respect the imports (the ready files
reversed, and shuffled). The findings, traces and notes must be the same.
"""

from __future__ import annotations

import random

import bastion
from bastion.core.config import Config
from bastion.pipeline import runner
from tests.project_support import write
from tests.sast.test_python_project import CYCLE_A, CYCLE_B, DB, VIEWS

SERVICE = """\
    from app import db
    from app.util import tidy

    def lookup(name):
        return db.find_user(tidy(name))
"""

UTIL = """\
    import subprocess

    def tidy(value):
        return value.strip()

    def as_id(value):
        return int(value)

    def run(command):
        return subprocess.run(command, shell=True)
"""

CYCLE_C = """\
    import os
    from app import a

    def remove(path):
        os.remove("/srv/data/" + a.quote(path))
"""


def project() -> dict[str, str]:
    files = {"app/__init__.py": "", "app/db.py": DB, "app/util.py": UTIL, "app/service.py": SERVICE,
             "app/a.py": CYCLE_A + "\nfrom app import c\n\ndef drop():\n    return c.remove(request.args['p'])\n",
             "app/b.py": CYCLE_B, "app/c.py": CYCLE_C}
    for n in range(4):  # a chain: m3 -> m2 -> m1 -> m0 -> util
        below = f"from app.m{n - 1} import step{n - 1} as below" if n else "from app.util import run as below"
        files[f"app/m{n}.py"] = f"{below}\n\ndef step{n}(value):\n    return below(value)\n"
    for n, (module, call) in enumerate([("service", "lookup"), ("m3", "step3"), ("c", "remove"), ("util", "as_id")]):
        files[f"app/views{n}.py"] = VIEWS.replace("from app.db import find_user", f"from app.{module} import {call}") \
            .replace("find_user(", f"{call}(")
    return files


class OneAtATime:
    """The schedule as a strictly sequential driver sees it: it hands out one task, and the next only after the
    result of the last is in; among the ready tasks it picks in its own order (``arrange``)."""

    def __init__(self, schedule, arrange):
        self._schedule, self._arrange, self._held, self._running = schedule, arrange, [], False

    def __getattr__(self, name):
        return getattr(self._schedule, name)

    def take(self, limit):
        if self._running:
            return []
        while not self._held and (ready := self._schedule.take(1_000_000)):
            self._held = self._arrange(ready + self._held)
        if not self._held:
            return []
        self._running = True
        return [self._held.pop(0)]

    def finish(self, path, payload):
        self._running = False
        self._schedule.finish(path, payload)

    def lost(self, path):
        self.finish(path, None)


def scan(root, cache, jobs):
    report = bastion.scan(root, config=Config(cache_dir=str(cache), fail_on=None), engines=["python"], jobs=jobs)
    return sorted(str(f.to_dict()) for f in report.findings), sorted(str(n) for n in report.notes), report.findings


def test_ready_queue_findings_equal_a_sequential_bottom_up_order(tmp_path, monkeypatch):
    root = tmp_path / "project"
    write(root, project())
    ready_queue = scan(root, tmp_path / "cache-ready", jobs=2)

    findings = ready_queue[2]
    cross_file = {(f.rule_id, f.location.path, f.trace[0].location.path) for f in findings if f.trace}
    assert ("sql-injection", "app/db.py", "app/views0.py") in cross_file
    assert ("sql-injection", "app/b.py", "app/a.py") in cross_file, "the flow through the import cycle"
    assert ("command-injection", "app/util.py", "app/views1.py") in cross_file, "the flow down the chain"
    assert {("path-traversal", "app/c.py", "app/a.py"), ("path-traversal", "app/c.py", "app/views2.py")} & cross_file, \
        "the cycle's other flow, from inside and from outside the cycle (one finding at the sink)"

    real_drive = runner._Executor.drive
    for name, arrange in [("reversed", lambda ready: sorted(ready, key=lambda t: t.relpath, reverse=True)),
                          ("shuffled", lambda ready: random.Random(7).sample(ready, len(ready)))]:
        monkeypatch.setattr(runner._Executor, "drive", lambda self, schedule, on_start, on_done, arrange=arrange:
                            real_drive(self, OneAtATime(schedule, arrange), on_start, on_done))
        sequential = scan(root, tmp_path / f"cache-{name}", jobs=1)
        assert sequential[:2] == ready_queue[:2], name
