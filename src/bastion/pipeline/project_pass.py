"""Cross-file analysis: engines exchange per-file summaries, and files are analysed again bottom-up in import order.

After the per-file pass every engine that summarizes (see
:meth:`bastion.core.engine_api.FileEngine.summarize`) has a summary per file,
computed without knowing any other file. Here, for each such engine, the
files' import graph (a file -> the project files it imports) is split into
strongly connected components (:func:`bastion.pipeline.dependency_order.components`),
and a :class:`ProjectSchedule` hands out a component's files as soon as every
component they import has settled (a ready queue, longest chain of work
first): a file is analysed again, knowing the final summaries of what it
imports, when one of its imports offers something (``provides``). Its findings
replace the engine's per-file ones, and its summary is final once its
component is done, so a file outside a cycle is analysed at most once more,
however long the chains are. Files of an import cycle are analysed together, in
rounds (every member of a round knows the summaries as they were when the
round began, so the order workers finish in changes nothing), again while a
member's summary changes, up to :data:`MAX_CYCLE_ROUNDS`; a cycle still
changing then gets a note naming its files (no silent limit).

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

#: Analyses of an import cycle's files (each round re-analyses the members whose imports changed).
MAX_CYCLE_ROUNDS = 4

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


def dependency_digest(summary: dict[str, Any], digests: dict[str, str]) -> str:
    """Identifies what a file's project-pass result depends on: the summaries it imports, and how other files
    register its functions (``registered``, set by the pass)."""
    material: list[Any] = [[name, digests[name]] for name in sorted(summary.get("imports", ())) if name in digests]
    material.append(summary.get("registered", []))
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
        self.summaries = {path: p["summaries"][engine] for path, p in payloads.items() if engine in p.get("summaries", {})}
        by_name = {s["name"]: path for path, s in sorted(self.summaries.items()) if "name" in s}
        self.imports = {path: sorted({by_name[n] for n in s.get("imports", ()) if n in by_name} - {path})
                        for path, s in self.summaries.items()}
        self.registered = self._registered()
        self.published = {s["name"]: s for s in self.summaries.values() if self._publishable(s)}
        self.updates: list[tuple[str, dict[str, Any] | None]] = []
        self.analysed = 0
        self.digests = _Digests()
        self.components = components(self.imports)
        self.component_of = {path: i for i, c in enumerate(self.components) for path in c.members}
        self.dependents: list[list[int]] = [[] for _ in self.components]
        for i, component in enumerate(self.components):
            for dep in component.imports:
                self.dependents[dep].append(i)
        self.waiting = [len(c.imports) for c in self.components]
        self.priority = self._critical_paths()
        self.ready: list[tuple[int, str]] = []  # heap of (-priority, path)
        self.rounds = [0] * len(self.components)
        self.running: list[set[str]] = [set() for _ in self.components]  # tasks of the current round not back yet
        self.results: list[dict[str, dict[str, Any] | None]] = [{} for _ in self.components]
        self.unsettled = len(self.components)
        for i in [i for i, component in enumerate(self.components) if not component.imports]:
            if not self._queue_first_round(i):
                self._settle(i)

    def _registered(self) -> dict[str, list[list[str]]]:
        """Files whose functions other files register as callbacks (a route table naming another module's
        controller): the path -> [name, role] pairs. Their analysis must know it: the role says what the
        framework passes (a request), so they are analysed again even when their imports offer nothing."""
        callbacks = {name: role for s in self.summaries.values() for name, role in (s.get("callbacks") or {}).items()}
        out: dict[str, list[list[str]]] = {}
        for path, summary in self.summaries.items():
            found = sorted([name, callbacks[name]] for name in summary.get("functions", {}) if name in callbacks)
            if found:
                out[path] = found
                summary["registered"] = found  # part of the digest its cached result is keyed by
        return out

    @staticmethod
    def _publishable(summary: dict[str, Any]) -> bool:
        return bool((summary.get("provides", True) or summary.get("callbacks")) and "name" in summary)

    def _critical_paths(self) -> list[int]:
        """Per component, the lines of it and of its longest chain of importers: the work that waits on it. Started
        first, the long chains keep both workers busy to the end instead of leaving one alone with a chain."""
        priority = [0] * len(self.components)
        for i in reversed(range(len(self.components))):  # importers come after what they import
            lines = sum(self.payloads[path].get("lines", 1) for path in self.components[i].members)
            priority[i] = lines + max((priority[d] for d in self.dependents[i]), default=0)
        return priority

    def offers(self, path: str) -> bool:
        return bool(self.summaries[path].get("provides", True))

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
        summary = self.summaries[path]
        digests = {name: self.digests.of(name, self.published[name])
                   for name in summary.get("imports", ()) if name in self.published}
        base = self.tasks_by_path[path]
        return Task(base.relpath, base.abspath, base.data, "project", self.engine, dependency_digest(summary, digests))

    def finish(self, path: str, payload: dict[str, Any] | None) -> None:
        """A task's result (None: it could not run, the file keeps its per-file result); ends its round when it
        is the last one back."""
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
        """Every import of the component has settled: queue each file one of whose imports offers something (or
        whose functions another file registers); False when there is none, and the component settles at once."""
        pending = [path for path in self.components[index].members
                   if path in self.registered or any(self.offers(dep) for dep in self.imports[path])]
        if pending:
            self._queue_round(index, pending)
        return bool(pending)

    def _queue_round(self, index: int, pending: list[str]) -> None:
        self.rounds[index] += 1
        self.running[index] = set(pending)
        for path in pending:
            heapq.heappush(self.ready, (-self.priority[index], path))

    def _end_round(self, index: int) -> None:
        """Apply the round's results together, publish the summaries that changed, and go on with the members of
        a cycle whose imports inside it changed, or settle."""
        component = self.components[index]
        changed = self._apply(self.results[index])
        self.results[index] = {}
        if not component.cyclic or not changed:
            self._settle(index)
            return
        members = set(component.members)
        pending = sorted(path for path in component.members if set(self.imports[path]) & changed & members)
        if pending and self.rounds[index] >= MAX_CYCLE_ROUNDS:
            self._note_unsettled(component)
            pending = []
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
            if new is not None and path in self.registered:
                new["registered"] = self.registered[path]
            if new is not None and new != self.summaries[path]:
                self.summaries[path] = new
                old.setdefault("summaries", {})[self.engine] = new
                if self._publish(new):
                    changed.add(path)
        return changed

    def _publish(self, summary: dict[str, Any]) -> bool:
        """Make a file's new summary what workers know; False when they know nothing of it before and after."""
        name = summary.get("name")
        if name is None:
            return False
        if self._publishable(summary):
            self.published[name] = summary
            self.updates.append((name, summary))
            return True
        if self.published.pop(name, None) is None:
            return False
        self.updates.append((name, None))
        return True

    def _settle(self, index: int) -> None:
        """The component's summaries are final: its importers wait for one component less (a loop, not recursion:
        a long chain of files that need no second analysis settles at once)."""
        settled = [index]
        while settled:
            done = settled.pop()
            self.unsettled -= 1
            for dependent in self.dependents[done]:
                self.waiting[dependent] -= 1
                if not self.waiting[dependent] and not self._queue_first_round(dependent):
                    settled.append(dependent)

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
    if not schedule.summaries:
        return 0
    if not schedule.done:
        drive(schedule)
    if not schedule.done:
        raise RuntimeError(f"{engine}: the project pass stopped with {schedule.unsettled} components unsettled")
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
