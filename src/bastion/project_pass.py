"""Cross-file analysis: engines exchange per-file summaries, then re-check the files that depend on them.

After the per-file pass every engine that summarizes (see
:meth:`bastion.engine_api.FileEngine.summarize`) has a summary per file. Here,
for each such engine:

1. files that import a provider whose summary changed are summarized again
   knowing the others (a chain ``a -> b -> c`` needs two rounds), at most
   :data:`MAX_ROUNDS` times or until nothing changes;
2. every file that imports a provider is checked again with all summaries,
   and those findings replace the engine's per-file findings for the file.

Both steps are cached like per-file results, keyed also by the summaries the
file imports, so an unchanged project is not re-analysed.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Callable

from bastion.worker import Task

MAX_ROUNDS = 3

#: Runs tasks (mode "summarize" or "check" for one engine) given the summaries by name; returns payloads by path.
Execute = Callable[[list[Task], dict[str, dict[str, Any]]], dict[str, dict[str, Any]]]


def imported(summary: dict[str, Any], by_name: dict[str, dict[str, Any]]) -> list[str]:
    return sorted(name for name in summary.get("imports", ()) if name in by_name)


def dependency_digest(summary: dict[str, Any], by_name: dict[str, dict[str, Any]]) -> str:
    """Identifies what a file's project-pass result depends on: the summaries it imports."""
    material = json.dumps([[name, by_name[name]] for name in imported(summary, by_name)], sort_keys=True)
    return hashlib.sha256(material.encode()).hexdigest()[:24]


def run_project_pass(engine: str, tasks_by_path: dict[str, Task], payloads: dict[str, dict[str, Any]],
                     execute: Execute) -> int:
    """Update ``payloads`` in place for ``engine``; return how many files were re-checked."""
    summaries = {path: p["summaries"][engine] for path, p in payloads.items() if engine in p.get("summaries", {})}
    if not summaries:
        return 0

    def providers() -> dict[str, dict[str, Any]]:
        return {s["name"]: s for s in summaries.values() if s.get("provides", True) and "name" in s}

    changed = set(providers())
    for _ in range(MAX_ROUNDS):
        dependents = [path for path, s in summaries.items() if changed & set(s.get("imports", ()))]
        if not dependents:
            break
        by_name = providers()
        results = execute([_task(tasks_by_path[p], "summarize", engine) for p in dependents], by_name)
        changed = set()
        for path, payload in results.items():
            new = payload.get("summaries", {}).get(engine)
            if new is not None and new != summaries[path]:
                summaries[path] = new
                payloads[path].setdefault("summaries", {})[engine] = new
                if new.get("provides", True) and "name" in new:
                    changed.add(new["name"])

    by_name = providers()
    dependents = [path for path, s in summaries.items() if imported(s, by_name)]
    results = execute([_task(tasks_by_path[p], "check", engine) for p in dependents], by_name)
    for path, payload in results.items():
        kept = [f for f in payloads[path]["findings"] if f["engine"] != engine]
        payloads[path]["findings"] = kept + payload["findings"]
        payloads[path]["notes"] = payloads[path]["notes"] + payload["notes"]
    return len(results)


def _task(base: Task, mode: str, engine: str) -> Task:
    return Task(base.relpath, base.abspath, base.language, base.data, mode, engine)
