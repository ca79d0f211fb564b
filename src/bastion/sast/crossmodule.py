"""Cross-module flows, for any language: functions' summaries out to the project pass, back in as known callees.

Inside a file the analysis is inter-procedural; across files it works through
the summaries the runner's project pass exchanges (see
:meth:`bastion.engine_api.FileEngine.summarize`). A module's summary lists its
functions' summaries by the name importers call them by; a sink reached
through another module keeps the file it really lives in (``path``), so a
chain ``views -> service -> db`` reports the query in the db module and not a
line of the service. Each engine decides only what a module is called, what it
imports, and which of its functions other files can reach.

The shared taint core knows an imported function only by its summary and
reports "<note> in <origin>:<line>" at the call. To carry each sink's own file
through the core unchanged, an imported sink's note travels with its location
appended after :data:`_SEP` and the function's origin is :data:`_ORIGIN`;
:func:`finding_parts` takes the pieces back apart for the message and trace.
"""

from __future__ import annotations

from typing import Any, Iterable

from bastion.sast import ir
from bastion.sast.taint import FunctionInfo, Hit, Summary

_SEP = "\x1f"  # never in a note or a path we print: separates an imported sink's note from its location
_ORIGIN = "\x1e"  # the origin the core appends (" in \x1e:<line>"), dropped again by finding_parts


def export(functions: Iterable[tuple[str, FunctionInfo]], name: str, path: str, imports: list[str],
           calls: Iterable[str] = ()) -> dict[str, Any]:
    """A module's summary (JSON-able): ``functions`` are (the name importers call it by, the analysed function).

    ``calls`` are the names the module calls that it does not define itself: the
    project pass clears the "caller unknown" findings of the functions they name.
    """
    exported_functions = {}
    for qual, fn in sorted(functions, key=lambda item: item[0]):
        exported = fn.summary.export()
        exported["params"] = [[p.name, p.kind] for p in fn.node.params]
        exported["sinks"] = [_export_sink(sink, path) for sink in exported["sinks"]]
        exported_functions[qual] = exported
    return {"name": name, "module": name, "path": path, "imports": imports,
            "provides": any(_offers(fn) for fn in exported_functions.values()), "functions": exported_functions,
            "calls": sorted(calls)}


def _export_sink(sink: dict[str, Any], path: str) -> dict[str, Any]:
    note, _, where = sink["note"].partition(_SEP)
    real_path = where.split(_SEP)[0] if where else path
    return {**sink, "note": note, "path": real_path}


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


def external_functions(summaries: Iterable[dict[str, Any]], own: str) -> dict[str, FunctionInfo]:
    """The other modules' functions as the taint core knows them: by summary, with each sink's file kept."""
    out: dict[str, FunctionInfo] = {}
    for data in summaries:
        if data.get("module") == own:
            continue
        for qual, fn in data.get("functions", {}).items():
            name = qual.rsplit(".", 1)[-1]
            marked = dict(fn, sinks=[_mark(s, data.get("path", "")) for s in fn.get("sinks", ())])
            params = [(p[0], p[1]) for p in fn.get("params", ())]
            out[qual] = FunctionInfo.external(qual, params, Summary.from_export(marked, name), _ORIGIN)
    return out


def _mark(sink: dict[str, Any], path: str) -> dict[str, Any]:
    where = _SEP.join((sink.get("path", path), str(sink["line"]), str(sink["column"])))
    return {**sink, "note": f"{sink['note']}{_SEP}{where}{_SEP}"}


def finding_parts(hit: Hit) -> tuple[str, list[tuple[str | None, ir.Span, str, str]]]:
    """The hit's message and trace as (path or None for this file, span, note, kind), imported sinks resolved."""
    trace: list[tuple[str | None, ir.Span, str, str]] = [(None, span, note, kind) for span, note, kind in hit.trace]
    if _SEP not in hit.message:
        return hit.message, trace
    parts = hit.message.split(_SEP, 4)
    if len(parts) != 5 or not (parts[2].isdigit() and parts[3].isdigit()):  # a path with the separator in its name
        return hit.message.replace(_SEP, " ").replace(_ORIGIN, "?"), trace
    note, path, line, column, tail = parts
    rest = _after_origin(tail)
    message = f"{note} in {path}:{line}{rest}"
    if trace and trace[-1][3] == "sink":
        _, span, _, _ = trace.pop()
        trace.append((None, span, rest.rpartition(", ")[2] or f"passed on towards {path}", "step"))
    sink_line, sink_column = int(line), int(column)
    trace.append((path, ir.Span(sink_line, sink_column, sink_line, sink_column), note, "sink"))
    return message, trace


def _after_origin(tail: str) -> str:
    """Drop the core's `` in \\x1e:<line>`` from the rest of the message."""
    marker = f" in {_ORIGIN}:"
    if not tail.startswith(marker):
        return tail
    rest = tail[len(marker):]
    return rest.lstrip("0123456789")
