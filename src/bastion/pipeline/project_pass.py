"""Cross-file analysis: engines exchange per-file summaries, then re-check the files that depend on them.

After the per-file pass every engine that summarizes (see
:meth:`bastion.core.engine_api.FileEngine.summarize`) has a summary per file. Here,
for each such engine, in rounds: every file that calls a function whose
summary changed (in a provider it imports) is analysed again knowing the others' summaries, in one task
that both re-summarizes it and re-checks it (one parse); its findings replace
the engine's per-file ones, and if its own summary changed, its importers
follow in the next round. A chain ``a -> b -> c`` settles in two rounds; at
most :data:`MAX_ROUNDS` are run, and files still waiting for a changed import
then get a note naming them (no silent limit). Finally a "caller unknown"
finding of a function some file calls (the summaries' ``calls``) is dropped.

Results are cached like per-file ones, keyed also by the summaries the file
imports, so an unchanged project is not re-analysed.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Callable

from bastion.pipeline.worker import Task

MAX_ROUNDS = 3

#: Runs tasks (mode "summarize" or "check" for one engine) given the summaries by name; returns payloads by path.
Execute = Callable[[list[Task], dict[str, dict[str, Any]]], dict[str, dict[str, Any]]]


class SummaryDigests:
    """A digest per provider's summary, computed once per summary: a round re-digests only the summaries it
    changed (the JSON encoding of every summary per round was a third of a warm rescan)."""

    def __init__(self) -> None:
        self._known: dict[str, tuple[dict[str, Any], str]] = {}

    def __call__(self, by_name: dict[str, dict[str, Any]]) -> dict[str, str]:
        out = {}
        for name, summary in by_name.items():
            known = self._known.get(name)
            if known is None or known[0] is not summary:
                known = self._known[name] = (summary, _digest(summary))
            out[name] = known[1]
        return out


def _digest(summary: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(summary, sort_keys=True).encode()).hexdigest()[:24]


def dependency_digest(summary: dict[str, Any], digests: dict[str, str]) -> str:
    """Identifies what a file's project-pass result depends on: the summaries it imports."""
    material = "\x1f".join(f"{name}={digests[name]}" for name in sorted(summary.get("imports", ())) if name in digests)
    return hashlib.sha256(material.encode()).hexdigest()[:24]


def run_project_pass(engine: str, tasks_by_path: dict[str, Task], payloads: dict[str, dict[str, Any]],
                     execute: Execute) -> int:
    """Update ``payloads`` in place for ``engine``; return how many file analyses the pass ran."""
    summaries = {path: p["summaries"][engine] for path, p in payloads.items() if engine in p.get("summaries", {})}
    if not summaries:
        return 0

    def providers() -> dict[str, dict[str, Any]]:
        return {s["name"]: s for s in summaries.values() if s.get("provides", True) and "name" in s}

    # Provider -> the names of its functions whose summaries are new to the files importing it: at first all of
    # them (the per-file pass knew none), then those whose summary changed in the last round.
    changed = {name: set(s.get("functions", ())) for name, s in providers().items()}
    analysed = 0
    for round_number in range(MAX_ROUNDS + 1):
        dependents = [path for path, s in summaries.items() if _depends(s, changed)]
        if not dependents:
            break
        if round_number == MAX_ROUNDS:  # no silent limit: name the files whose imports had not settled
            _note_unsettled(engine, dependents, payloads)
            break
        results = execute([_task(tasks_by_path[p], engine) for p in dependents], providers())
        analysed += len(results)
        changed = {}
        for path, payload in results.items():
            kept = [f for f in payloads[path]["findings"] if f["engine"] != engine]
            payloads[path]["findings"] = kept + payload["findings"]
            payloads[path]["notes"] = payloads[path]["notes"] + payload["notes"]
            new = payload.get("summaries", {}).get(engine)
            if new is not None and new != summaries[path]:
                old, summaries[path] = summaries[path], new
                payloads[path].setdefault("summaries", {})[engine] = new
                if new.get("provides", True) and "name" in new:
                    changed[new["name"]] = _changed_functions(old, new)
    _drop_known_callers(engine, summaries, payloads)
    return analysed


def _depends(summary: dict[str, Any], changed: dict[str, set[str]]) -> bool:
    """Whether a file's result may change with the new function summaries of the providers in ``changed``.

    Only if it imports one of them, and, when its summary lists every other
    module's function it calls or re-exports (``calls_complete``), only if it
    uses one of the changed functions: the analysis looks another module's
    function up only under a name it records as called, so a file that uses
    none of them would be analysed exactly as before.
    """
    imported = [name for name in summary.get("imports", ()) if name in changed]
    if not imported:
        return False
    if not summary.get("calls_complete"):
        return True
    used = set(summary.get("calls", ())).union(summary.get("reexports", ()))
    return any(not used.isdisjoint(changed[name]) for name in imported)


def _changed_functions(old: dict[str, Any], new: dict[str, Any]) -> set[str]:
    """Names of the functions whose exported summary differs between two summaries of one module."""
    before, after = old.get("functions", {}), new.get("functions", {})
    return {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}


def _note_unsettled(engine: str, paths: list[str], payloads: dict[str, dict[str, Any]]) -> None:
    for path in paths:
        payloads[path]["notes"] = payloads[path]["notes"] + [{
            "kind": "warning", "path": path, "reason": "budget",
            "message": f"{engine}: cross-file analysis stopped after {MAX_ROUNDS} rounds before the summaries this file "
                       "imports settled; flows through long import chains may be missed"}]


def _drop_known_callers(engine: str, summaries: dict[str, dict[str, Any]], payloads: dict[str, dict[str, Any]]) -> None:
    """A "caller unknown" finding of a function another file calls is judged at that call instead: drop it.

    The engine's per-file pass cannot see callers in other files; every module
    summary lists the names it calls (``calls``), so here a function some file
    calls stops being input of unknown origin (its callers' flows are reported
    by their own files, with constants and checked values clearing them).
    """
    called = {name for summary in summaries.values() for name in summary.get("calls", ())}
    if not called:
        return
    for payload in payloads.values():
        payload["findings"] = [f for f in payload["findings"] if f.get("engine") != engine
                               or (f.get("properties") or {}).get("caller-unknown") not in called]


def _task(base: Task, engine: str) -> Task:
    return Task(base.relpath, base.abspath, base.data, "project", engine)
