"""Cross-module flows, for any language: functions' summaries out to the project pass, back in as known callees.

Inside a file the analysis is inter-procedural; across files it works through
the summaries the runner's project pass exchanges (see
:meth:`bastion.core.engine_api.FileEngine.summarize`). A module's summary lists its
functions' summaries by the name importers call them by; each sink a
parameter reaches keeps the file it really lives in (``path`` of a
:class:`~bastion.sast.taint.SummarySink`, typed in the core and a field of the
JSON form), so a chain ``views -> service -> db`` reports the query in the db
module and not a line of the service. Each engine decides only what a module
is called, what it imports, and which of its functions other files can reach.
"""

from __future__ import annotations

from typing import Any, Iterable

from bastion.sast import ir
from bastion.sast.taint import MAX_OUTSIDE_CALLS, FunctionInfo, Hit, Summary


def export(functions: Iterable[tuple[str, FunctionInfo]], name: str, path: str, imports: list[str],
           calls: Iterable[str] = (), reexports: Iterable[str] = ()) -> dict[str, Any]:
    """A module's summary (JSON-able): ``functions`` are (the name importers call it by, the analysed function).

    ``calls`` are the names the module calls that it does not define itself: the
    project pass clears the "caller unknown" findings of the functions they name,
    and re-analyses a module only when a function it calls (or re-exports:
    ``reexports``, other modules' functions it offers as its own) has a new
    summary. The analysis looks another module's function up only under a name
    it then records as called, so a module calling none of them is analysed
    exactly as in the per-file pass. ``calls_complete`` is false when the list
    was cut at :data:`~bastion.sast.taint.MAX_OUTSIDE_CALLS` names: then any
    new summary may matter.
    """
    calls = sorted(calls)
    exported_functions = {}
    for qual, fn in sorted(functions, key=lambda item: item[0]):
        exported = fn.summary.export(path)
        exported["params"] = [[p.name, p.kind] for p in fn.node.params]
        if fn.cls is not None:
            exported["class"] = fn.cls  # a method: a call on an instance passes the instance first
        exported_functions[qual] = exported
    return {"name": name, "module": name, "path": path, "imports": imports,
            "provides": any(_offers(fn) for fn in exported_functions.values()), "functions": exported_functions,
            "calls": calls, "calls_complete": len(calls) < MAX_OUTSIDE_CALLS, "reexports": sorted(reexports)}


def _offers(fn: dict[str, Any]) -> bool:
    """Whether knowing this function changes a caller's result compared with an unknown call.

    An unknown call passes every argument's taint to its result, so a function
    that returns all of its parameters untouched and reaches no sink tells a
    caller nothing new; one with sinks, a tainted return, or a return that
    drops or cleans a parameter does.
    """
    if fn["sinks"] or fn["tainted_return"]:
        return True
    passed = {p for p, cleared, _ in fn["returns"] if not cleared}
    return passed != set(range(len(fn["params"])))


class ExternalFunctions(dict):
    """The other modules' functions by name, each turned into a :class:`FunctionInfo` the first time a call asks for it.

    A file may import modules with thousands of functions and call a handful:
    building every summary up front cost more than analysing the file.
    """

    def __init__(self, exported: dict[str, tuple[dict[str, Any], str]]):
        super().__init__()
        self._exported = exported  # name -> (exported function, its module's path)

    def get(self, qual: str, default: Any = None) -> Any:  # type: ignore[override]
        found = dict.get(self, qual)
        if found is None and qual in self._exported:
            fn, path = self._exported[qual]
            params = [(p[0], p[1]) for p in fn.get("params", ())]
            found = FunctionInfo.external(qual, params, Summary.from_export(fn, qual.rsplit(".", 1)[-1], path), path, fn.get("class"))
            self[qual] = found
        return default if found is None else found

    def __bool__(self) -> bool:
        return bool(self._exported)


def external_functions(summaries: Iterable[dict[str, Any]], own: str) -> ExternalFunctions:
    """The other modules' functions as the taint core knows them: by summary, with each sink's file kept."""
    exported: dict[str, tuple[dict[str, Any], str]] = {}
    for data in summaries:
        if data.get("module") == own:
            continue
        path = data.get("path", "")
        for qual, fn in data.get("functions", {}).items():
            exported[qual] = (fn, path)
    return ExternalFunctions(exported)


def finding_parts(hit: Hit) -> tuple[str, list[tuple[str | None, ir.Span, str, str]]]:
    """The hit's message and trace as (path or None for this file, span, note, kind): a sink in another module names its file."""
    trace = [(hit.sink_path if kind == "sink" else None, span, note, kind) for span, note, kind in hit.trace]
    return hit.message, trace
