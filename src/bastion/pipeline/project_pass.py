"""Cross-file analysis: engines exchange per-file summaries, and files are analysed again bottom-up in import order.

After the per-file pass every engine that summarizes (see
:meth:`bastion.core.engine_api.FileEngine.summarize`) has a summary per file,
computed without knowing any other file. Here, for each such engine, the
files' import graph (a file -> the project files it imports) is split into
strongly connected components (:func:`bastion.pipeline.dependency_order.components`),
and components are taken in dependency order, a level at a time (a level's
components depend only on earlier levels, so one level is one batch for the
workers): a file is analysed again, knowing the final summaries of what it
imports, when one of its imports offers something (``provides``). Its findings
replace the engine's per-file ones and its summary is final once its level is
done, so a file outside a cycle is analysed at most once more, however long
the chains are. Files of an import cycle are analysed together, again and
again while a member's summary changes, up to :data:`MAX_CYCLE_ROUNDS`; a
cycle still changing then gets a note naming its files (no silent limit).

Finally, across the whole project: a "caller unknown" finding of a function
some file calls (the summaries' ``calls``) is dropped, and a sink several
files' flows reach is reported once (:func:`_one_per_sink`).

Results are cached like per-file ones, keyed also by the summaries the file
imports, so an unchanged project is not re-analysed.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Callable

from bastion.pipeline.dependency_order import Component, levels
from bastion.pipeline.worker import Task

#: Analyses of an import cycle's files (each round re-analyses the members whose imports changed).
MAX_CYCLE_ROUNDS = 4

#: Runs tasks (mode "summarize" or "check" for one engine) given the summaries by name; returns payloads by path.
Execute = Callable[[list[Task], dict[str, dict[str, Any]]], dict[str, dict[str, Any]]]

_CONFIDENCE_RANK = {"high": 2, "medium": 1, "low": 0}


#: Digests of the summaries of the pass under way, by name: (the summary object, its digest). A level's batch
#: needs every provider's digest; a summary that did not change since the last level is the same object.
_digests: dict[str, tuple[dict[str, Any], str]] = {}


def summary_digests(by_name: dict[str, dict[str, Any]]) -> dict[str, str]:
    """One digest per provider, computed once per summary (not once per level, nor per importing file)."""
    out = {}
    for name, summary in by_name.items():
        known = _digests.get(name)
        if known is None or known[0] is not summary:
            known = _digests[name] = (summary, hashlib.sha256(json.dumps(summary, sort_keys=True).encode()).hexdigest()[:24])
        out[name] = known[1]
    return out


def dependency_digest(summary: dict[str, Any], digests: dict[str, str]) -> str:
    """Identifies what a file's project-pass result depends on: the summaries it imports, and how other files
    register its functions (``registered``, set by the pass)."""
    material: list[Any] = [[name, digests[name]] for name in sorted(summary.get("imports", ())) if name in digests]
    material.append(summary.get("registered", []))
    return hashlib.sha256(json.dumps(material).encode()).hexdigest()[:24]


class _Pass:
    """The state of one engine's project pass: the current summary of every file, and the payloads to update."""

    def __init__(self, engine: str, tasks_by_path: dict[str, Task], payloads: dict[str, dict[str, Any]], execute: Execute):
        self.engine, self.tasks_by_path, self.payloads, self.execute = engine, tasks_by_path, payloads, execute
        self.summaries = {path: p["summaries"][engine] for path, p in payloads.items() if engine in p.get("summaries", {})}
        by_name = {s["name"]: path for path, s in sorted(self.summaries.items()) if "name" in s}
        self.imports = {path: sorted({by_name[n] for n in s.get("imports", ()) if n in by_name} - {path})
                        for path, s in self.summaries.items()}
        self.registered = self._registered()
        self.analysed = 0

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

    def providers(self) -> dict[str, dict[str, Any]]:
        return {s["name"]: s for s in self.summaries.values()
                if (s.get("provides", True) or s.get("callbacks")) and "name" in s}

    def offers(self, path: str) -> bool:
        return bool(self.summaries[path].get("provides", True))

    def run(self) -> None:
        for level in levels(self.imports):
            self._level(level)

    def _level(self, level: list[Component]) -> None:
        """Every component of one level: first each file one of whose imports offers something, then, for cycles,
        the members whose imports inside the cycle changed, until nothing changes or the round budget ends."""
        cyclic = {path: component for component in level if component.cyclic for path in component.members}
        pending = [path for component in level for path in component.members
                   if path in self.registered or any(self.offers(dep) for dep in self.imports[path])]
        for _ in range(MAX_CYCLE_ROUNDS):
            if not pending:
                return
            changed = self._analyse(pending)
            pending = sorted(path for path in cyclic if set(self.imports[path]) & changed & set(cyclic[path].members))
        for component in {cyclic[path] for path in pending}:
            self._note_unsettled(component)

    def _analyse(self, paths: list[str]) -> set[str]:
        """Analyse ``paths`` knowing the current summaries; return the paths whose summary changed."""
        results = self.execute([_task(self.tasks_by_path[p], self.engine) for p in paths], self.providers())
        self.analysed += len(results)
        changed: set[str] = set()
        for path, payload in results.items():
            old = self.payloads[path]
            old["findings"] = [f for f in old["findings"] if f["engine"] != self.engine] + payload["findings"]
            old["notes"] = old["notes"] + payload["notes"]
            new = payload.get("summaries", {}).get(self.engine)
            if new is not None and path in self.registered:
                new["registered"] = self.registered[path]
            if new is not None and new != self.summaries[path]:
                self.summaries[path] = new
                old.setdefault("summaries", {})[self.engine] = new
                changed.add(path)
        return changed

    def _note_unsettled(self, component: Component) -> None:
        files = ", ".join(component.members[:10]) + (f" and {len(component.members) - 10} more" if len(component.members) > 10 else "")
        for path in component.members:
            self.payloads[path]["notes"] = self.payloads[path]["notes"] + [{
                "kind": "warning", "path": path, "reason": "budget",
                "message": f"{self.engine}: the summaries of the import cycle {files} still changed after "
                           f"{MAX_CYCLE_ROUNDS} rounds; flows through these files may be missed"}]


def run_project_pass(engine: str, tasks_by_path: dict[str, Task], payloads: dict[str, dict[str, Any]],
                     execute: Execute) -> int:
    """Update ``payloads`` in place for ``engine``; return how many file analyses the pass ran."""
    state = _Pass(engine, tasks_by_path, payloads, execute)
    if not state.summaries:
        return 0
    _digests.clear()
    try:
        state.run()
    finally:
        _digests.clear()
    _drop_known_callers(engine, state.summaries, payloads)
    _one_per_sink(engine, payloads)
    return state.analysed


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


def _task(base: Task, engine: str) -> Task:
    return Task(base.relpath, base.abspath, base.data, "project", engine)
