"""Cross-file analysis: every file analysed once, bottom-up in import order, knowing the summaries of what it imports.

The first pass only read each file's imports (see
:meth:`bastion.core.engine_api.FileEngine.imports`: a parse, no analysis).
Here, for each cross-file engine, the files' import graph (a file -> the
project files it imports) is split into strongly connected components
(:func:`bastion.pipeline.dependency_order.components`), and a
:class:`ProjectSchedule` hands out a component's files as soon as every
component they import has settled (a ready queue, longest chain of work
first). A file is checked and summarized once: knowing the final summaries of
what it imports when one of them offers something (``provides``) or another
file registers its functions as callbacks, else alone, exactly as it would be
without other files. Files of an import cycle are first analysed alone (they
need each other's summaries), then together in rounds (every member of a round
knows the summaries as they were when the round began, so the order workers
finish in changes nothing), again while a member's summary changes, up to
:data:`MAX_CYCLE_ROUNDS`; a cycle still changing then gets a note naming its
files (no silent limit).

Callbacks go against the import order: a ``urls.py`` that registers a view
imports it, so it is analysed after the view. When the pass is done, a file
whose registrations were not all known when it was analysed (or whose
analysis they would have changed) is analysed again, with every file that
imports it whose imports then changed: a short repair pass over the same
components (:meth:`ProjectSchedule.repair`).

Finally, across the whole project: a "caller unknown" finding of a function
some file calls (the summaries' ``calls``) is dropped, and a sink several
files' flows reach is reported once (:func:`_one_per_sink`).

Results are cached like per-file ones, keyed also by the summaries the file
imports, so an unchanged project is not re-analysed.
"""

from __future__ import annotations

import hashlib
import heapq
import json
from typing import Any, Callable

from bastion.pipeline.dependency_order import Component, components
from bastion.pipeline.worker import Task

#: Analyses of an import cycle's files after the first, alone (each round re-analyses the members whose imports changed).
MAX_CYCLE_ROUNDS = 4
#: Repair passes for callbacks learnt after the files they name were analysed (one suffices unless registrations move).
MAX_REPAIRS = 3

_CONFIDENCE_RANK = {"high": 2, "medium": 1, "low": 0}


class _Digests:
    """One digest per provider's summary, computed once per version of it (not once per importing file)."""

    def __init__(self) -> None:
        self.known: dict[str, tuple[dict[str, Any], str]] = {}

    def of(self, name: str, summary: dict[str, Any]) -> str:
        known = self.known.get(name)
        if known is None or known[0] is not summary:
            known = self.known[name] = (summary, hashlib.sha256(json.dumps(summary, sort_keys=True).encode()).hexdigest()[:24])
        return known[1]


def dependency_digest(imports: list[str], digests: dict[str, str], roles: list[list[Any]]) -> str:
    """Identifies what a file's project-pass result depends on: the summaries it imports (``digests``, by name),
    and how other files register its functions (``roles``)."""
    material: list[Any] = [[name, digests[name]] for name in sorted(imports) if name in digests]
    material.append(roles)
    return hashlib.sha256(json.dumps(material).encode()).hexdigest()[:24]


class ProjectSchedule:
    """One engine's project pass as a ready queue: which files can be analysed now, and what their results change.

    The runner's pool asks :meth:`take` for ready tasks whenever a worker has
    room, and reports each result with :meth:`finish` (or :meth:`lost`).
    ``published`` is what workers know (the summaries of the files that offer
    something, by name) and ``updates`` the log of its changes, which the pool
    forwards with each batch: a summary is published when its component's round
    ends, so every task sees the settled summaries of what it imports.
    """

    def __init__(self, engine: str, tasks_by_path: dict[str, Task], payloads: dict[str, dict[str, Any]],
                 workers: int = 1):
        self.engine, self.tasks_by_path, self.payloads, self.workers = engine, tasks_by_path, payloads, max(1, workers)
        self.records = {path: p["imports"][engine] for path, p in payloads.items() if engine in p.get("imports", {})}
        self.summaries: dict[str, dict[str, Any]] = {}  # path -> its summary, once analysed
        by_name = {r["name"]: path for path, r in sorted(self.records.items()) if r.get("name")}
        self.imports = {path: sorted({by_name[n] for n in r.get("imports", ()) if n in by_name} - {path})
                        for path, r in self.records.items()}
        self.published: dict[str, dict[str, Any]] = {}
        self.updates: list[tuple[str, dict[str, Any] | None]] = []
        self.callbacks: dict[str, dict[str, Any]] = {}  # path -> the callbacks its published summary registers
        self.analysed = 0
        self.digests = _Digests()
        self.components = components(self.imports)
        self.component_of = {path: i for i, c in enumerate(self.components) for path in c.members}
        self.dependents: list[list[int]] = [[] for _ in self.components]
        for i, component in enumerate(self.components):
            for dep in component.imports:
                self.dependents[dep].append(i)
        self.priority = self._critical_paths()
        self.ready: list[tuple[int, str]] = []  # heap of (-priority, path)
        self.modes: dict[str, str] = {}  # path -> the mode of its task in the current round
        self.seen: dict[str, tuple[str, list[list[Any]]]] = {}  # path -> (mode, roles) its last analysis had
        self.seeds: set[str] | None = None  # a repair: the files to analyse again (None: the first pass)
        self.changed: set[str] = set()  # a repair: files whose published summary it changed
        self._start()

    def _start(self) -> None:
        self.waiting = [len(c.imports) for c in self.components]
        self.rounds = [0] * len(self.components)
        self.running: list[set[str]] = [set() for _ in self.components]  # tasks of the current round not back yet
        self.results: list[dict[str, dict[str, Any] | None]] = [{} for _ in self.components]
        self.unsettled = len(self.components)
        for i in [i for i, component in enumerate(self.components) if not component.imports]:
            if not self._queue_first_round(i):
                self._settle(i)

    def _critical_paths(self) -> list[int]:
        """Per component, the lines of it and of its longest chain of importers: the work that waits on it. Started
        first, the long chains keep both workers busy to the end instead of leaving one alone with a chain."""
        priority = [0] * len(self.components)
        for i in reversed(range(len(self.components))):  # importers come after what they import
            lines = sum(self.payloads[path].get("lines", 1) for path in self.components[i].members)
            priority[i] = lines + max((priority[d] for d in self.dependents[i]), default=0)
        return priority

    @staticmethod
    def _publishable(summary: dict[str, Any]) -> bool:
        return bool((summary.get("provides", True) or summary.get("callbacks")) and "name" in summary)

    def offers(self, path: str) -> bool:
        summary = self.summaries.get(path)
        return summary is not None and bool(summary.get("provides", True))

    def roles(self, path: str) -> list[list[Any]]:
        """The registrations other files' published summaries make of this file's functions, by name prefix (what
        the analysis reads: ``[name, role]`` pairs)."""
        prefix = self.records[path].get("prefix")
        if not prefix:
            return []
        return sorted([name, role] for callbacks in self.callbacks.values() for name, role in callbacks.items()
                      if name.startswith(prefix))

    def _registered(self, path: str) -> bool:
        """Another file registers one of this file's functions (by the exact names its summary lists)."""
        functions = (self.summaries.get(path) or {}).get("functions", {})
        return any(name in functions for callbacks in self.callbacks.values() for name in callbacks)

    def _mode(self, path: str) -> str:
        """How a file with settled imports is analysed: knowing the others' summaries when one of its imports
        offers something or its functions are registered by another file, else alone."""
        if any(self.offers(dep) for dep in self.imports[path]):
            return "project"
        if path in self.summaries:  # analysed before (a cycle's first round, a repair): its functions are known
            return "project" if self._registered(path) else "alone"
        return "project" if self.roles(path) else "alone"

    @property
    def done(self) -> bool:
        return not self.unsettled

    def take(self, limit: int) -> list[Task]:
        """Up to ``limit`` ready tasks, the longest chains first; no more than a fair share of what is ready, so a
        few ready files go to several workers rather than one."""
        share = -(-len(self.ready) // self.workers)
        tasks = []
        for _ in range(min(limit, share)):
            _, path = heapq.heappop(self.ready)
            tasks.append(self._task(path))
        return tasks

    def _task(self, path: str) -> Task:
        mode = self.modes[path]
        base = self.tasks_by_path[path]
        if mode == "alone":
            self.seen[path] = (mode, [])
            return Task(base.relpath, base.abspath, base.data, "alone", self.engine)
        roles = self.roles(path)
        self.seen[path] = (mode, roles)
        names = self.records[path].get("imports", ())
        digests = {name: self.digests.of(name, self.published[name]) for name in names if name in self.published}
        return Task(base.relpath, base.abspath, base.data, "project", self.engine,
                    dependency_digest(list(names), digests, roles))

    def finish(self, path: str, payload: dict[str, Any] | None) -> None:
        """A task's result (None: it could not run, the file keeps what it had); ends its round when it is the
        last one back."""
        index = self.component_of[path]
        self.running[index].discard(path)
        self.results[index][path] = payload
        if payload is not None:
            self.analysed += 1
        if not self.running[index]:
            self._end_round(index)

    def lost(self, path: str) -> None:
        self.finish(path, None)

    def _queue_first_round(self, index: int) -> bool:
        """Every import of the component has settled: queue its files; False when there is nothing to do (a repair
        that leaves the component as it is), and the component settles at once.

        An import cycle's files are first analysed alone: each needs the others' summaries, which only an analysis
        gives. A repair analyses again the files it was started for and those whose imports it changed."""
        members = self.components[index].members
        if self.seeds is None:
            cyclic = self.components[index].cyclic
            pending = {path: "alone" if cyclic else self._mode(path) for path in members}
        else:
            pending = {path: self._mode(path) for path in members
                       if path in self.seeds or set(self.imports[path]) & self.changed}
        if pending:
            self._queue_round(index, pending)
        return bool(pending)

    def _queue_round(self, index: int, pending: dict[str, str]) -> None:
        self.rounds[index] += 1
        self.running[index] = set(pending)
        for path, mode in pending.items():
            self.modes[path] = mode
            heapq.heappush(self.ready, (-self.priority[index], path))

    def _end_round(self, index: int) -> None:
        """Apply the round's results together, publish the summaries that changed, and go on with the members of
        a cycle whose imports inside it changed (after its first round: those with an import that offers
        something or functions another file registers), or settle."""
        component = self.components[index]
        first = self.seeds is None and self.rounds[index] == 1
        changed = self._apply(self.results[index])
        self.results[index] = {}
        if not component.cyclic or (not changed and not first):
            self._settle(index)
            return
        members = set(component.members)
        if first:
            pending = {path: "project" for path in component.members
                       if self._registered(path) or any(self.offers(dep) for dep in self.imports[path])}
        else:
            pending = {path: "project" for path in component.members if set(self.imports[path]) & changed & members}
        if pending and self.rounds[index] >= MAX_CYCLE_ROUNDS + (self.seeds is None):  # + the first round, alone
            self._note_unsettled(component)
            pending = {}
        if pending:
            self._queue_round(index, pending)
        else:
            self._settle(index)

    def _apply(self, results: dict[str, dict[str, Any] | None]) -> set[str]:
        """Put a round's results into the payloads; return the paths whose summary changed as other files see it
        (a summary that offers nothing before and after is not published: no importer needs analysing again)."""
        changed: set[str] = set()
        for path in sorted(results):
            payload = results[path]
            if payload is None:
                continue
            old = self.payloads[path]
            old["findings"] = [f for f in old["findings"] if f["engine"] != self.engine] + payload["findings"]
            old["notes"] = old["notes"] + payload["notes"]
            new = payload.get("summaries", {}).get(self.engine)
            if new is not None and new != self.summaries.get(path):
                self.summaries[path] = new
                old.setdefault("summaries", {})[self.engine] = new
                if self._publish(path, new):
                    changed.add(path)
        self.changed |= changed
        return changed

    def _publish(self, path: str, summary: dict[str, Any]) -> bool:
        """Make a file's new summary what workers know; False when they know nothing of it before and after."""
        name = summary.get("name")
        if name is None:
            return False
        if self._publishable(summary):
            self.published[name] = summary
            self.callbacks[path] = summary.get("callbacks") or {}
            self.updates.append((name, summary))
            return True
        self.callbacks.pop(path, None)
        if self.published.pop(name, None) is None:
            return False
        self.updates.append((name, None))
        return True

    def _settle(self, index: int) -> None:
        """The component's summaries are final: its importers wait for one component less (a loop, not recursion:
        a long chain of files with nothing to do settles at once)."""
        settled = [index]
        while settled:
            done = settled.pop()
            self.unsettled -= 1
            for dependent in self.dependents[done]:
                self.waiting[dependent] -= 1
                if not self.waiting[dependent] and not self._queue_first_round(dependent):
                    settled.append(dependent)

    def stale(self) -> set[str]:
        """Files whose last analysis would differ now that every registration is known: analysed alone but
        registered since, knowing other registrations than the final ones, or (outside a cycle, whose rounds
        follow their own rule) knowing the others only for a registration that names none of its functions."""
        out = set()
        for path, (mode, roles) in self.seen.items():
            if path not in self.summaries:
                continue
            if mode == "alone" and self._registered(path):
                out.add(path)
            elif mode == "project" and roles != self.roles(path):
                out.add(path)
            elif mode == "project" and not self.components[self.component_of[path]].cyclic and not (
                    self._registered(path) or any(self.offers(dep) for dep in self.imports[path])):
                out.add(path)
        return out

    def repair(self, seeds: set[str]) -> None:
        """Analyse ``seeds`` again, and every file whose imports that changes, bottom-up as before."""
        self.seeds, self.changed = seeds, set()
        self._start()

    def note_stale(self, paths: set[str]) -> None:
        """No silent limit: files whose registrations still moved after the last repair."""
        for path in sorted(paths):
            self.payloads[path]["notes"] = self.payloads[path]["notes"] + [{
                "kind": "warning", "path": path, "reason": "budget",
                "message": f"{self.engine}: the callbacks other files register in {path} still changed after "
                           f"{MAX_REPAIRS} repairs; flows through them may be missed"}]

    def _note_unsettled(self, component: Component) -> None:
        files = ", ".join(component.members[:10]) + (f" and {len(component.members) - 10} more" if len(component.members) > 10 else "")
        for path in component.members:
            self.payloads[path]["notes"] = self.payloads[path]["notes"] + [{
                "kind": "warning", "path": path, "reason": "budget",
                "message": f"{self.engine}: the summaries of the import cycle {files} still changed after "
                           f"{MAX_CYCLE_ROUNDS} rounds; flows through these files may be missed"}]


#: Runs a schedule to its end: hands out what :meth:`ProjectSchedule.take` gives, reports each result back.
Drive = Callable[[ProjectSchedule], None]


def run_project_pass(engine: str, tasks_by_path: dict[str, Task], payloads: dict[str, dict[str, Any]],
                     drive: Drive, workers: int = 1) -> int:
    """Update ``payloads`` in place for ``engine``; return how many file analyses the pass ran."""
    schedule = ProjectSchedule(engine, tasks_by_path, payloads, workers)
    if not schedule.records:
        return 0
    for repairs in range(MAX_REPAIRS + 1):
        if not schedule.done:
            drive(schedule)
        if not schedule.done:
            raise RuntimeError(f"{engine}: the project pass stopped with {schedule.unsettled} components unsettled")
        stale = schedule.stale()
        if stale and repairs == MAX_REPAIRS:
            schedule.note_stale(stale)
        elif stale:
            schedule.repair(stale)
            continue
        break
    _drop_known_callers(engine, schedule.summaries, payloads)
    _one_per_sink(engine, payloads)
    return schedule.analysed


def _drop_known_callers(engine: str, summaries: dict[str, dict[str, Any]], payloads: dict[str, dict[str, Any]]) -> None:
    """A "caller unknown" finding of a function another file calls is judged at that call instead: drop it.

    The engine's per-file pass cannot see callers in other files; every module
    summary lists the names it calls (``calls``), so here a function some file
    calls stops being input of unknown origin (its callers' flows are reported
    at the sink, with constants and checked values clearing them).
    """
    called = {name for summary in summaries.values() for name in summary.get("calls", ())}
    if not called:
        return
    for payload in payloads.values():
        payload["findings"] = [f for f in payload["findings"] if f.get("engine") != engine
                               or (f.get("properties") or {}).get("caller-unknown") not in called]


def _one_per_sink(engine: str, payloads: dict[str, dict[str, Any]]) -> None:
    """One finding per rule and sink: flows from several files into one sink (reported at the sink by each caller's
    analysis, and perhaps by the sink's own file as input of unknown origin) become one: a traced flow before a
    traceless one, then the most confident, then the shortest trace. When the merged flows start at several known
    sources, ``properties.flows`` says how many."""
    best: dict[tuple[str, str, int, int], tuple[tuple, str, int]] = {}
    count: dict[tuple[str, str, int, int], int] = {}
    sources: dict[tuple[str, str, int, int], set[tuple[str, int, int]]] = {}
    for path in sorted(payloads):
        for index, finding in enumerate(payloads[path]["findings"]):
            if finding.get("engine") != engine:
                continue
            key = _sink_key(finding)
            trace = finding.get("trace") or ()
            rank = (not trace, -_CONFIDENCE_RANK.get(finding.get("confidence", "high"), 2), len(trace),
                    finding.get("message", ""), path)
            count[key] = count.get(key, 0) + 1
            if trace and "caller-unknown" not in (finding.get("properties") or {}):
                first = trace[0]["location"]
                sources.setdefault(key, set()).add((first["path"], first.get("line", 0), first.get("column", 0)))
            if key not in best or rank < best[key][0]:
                best[key] = (rank, path, index)
    if all(n == 1 for n in count.values()):
        return
    keep = {(path, index) for _, path, index in best.values()}
    for key, (_, path, index) in best.items():
        if len(sources.get(key, ())) > 1:
            finding = payloads[path]["findings"][index]
            finding["properties"] = {**(finding.get("properties") or {}), "flows": len(sources[key])}
    for path, payload in payloads.items():
        payload["findings"] = [f for i, f in enumerate(payload["findings"]) if f.get("engine") != engine
                               or count[_sink_key(f)] == 1 or (path, i) in keep]


def _sink_key(finding: dict[str, Any]) -> tuple[str, str, int, int]:
    loc = finding["location"]
    return finding["rule_id"], loc["path"], loc.get("line", 0), loc.get("column", 0)
