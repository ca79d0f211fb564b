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

from typing import Any, Callable, Iterable

from bastion.core.engine_api import SourceFile
from bastion.core.model import Note
from bastion.sast import ir
from bastion.sast.summaries import LineText, export_summary, import_summary
from bastion.sast.project_facts import ProjectFacts
from bastion.sast.taint import MAX_OUTSIDE_CALLS, Analyzer, FunctionInfo, Hit, Value

#: Objects one module summary lists at most (a generated module with thousands of instances is cut here).
MAX_OBJECTS = 2000


def export(functions: Iterable[tuple[str, FunctionInfo]], name: str, path: str, imports: list[str],
           calls: Iterable[str] = (), line_text: LineText | None = None,
           facts: ProjectFacts | None = None, rename: Callable[[str], str] = str) -> dict[str, Any]:
    """A module's summary (JSON-able): ``functions`` are (the name importers call it by, the analysed function).

    ``calls`` are the names the module calls that it does not define itself: the
    project pass clears the "caller unknown" findings of the functions they name.
    ``line_text`` gives the file's lines: each sink carries its own, for the finding a caller reports there.
    ``facts``: the module's objects and class bases, by the names importers use (:func:`module_facts`);
    ``rename`` gives that name for one of the module's own quals (JavaScript: ``src.db.Database()`` ->
    ``./src/db[].Database()``).
    """
    calls = sorted(calls)
    exported_functions = {}
    for qual, fn in sorted(functions, key=lambda item: item[0]):
        exported = export_summary(fn.summary, path, line_text, rename)
        exported["params"] = [[p.name, p.kind] for p in fn.node.params]
        if fn.cls is not None:
            exported["class"] = rename(fn.cls)  # a method: a call on an instance passes the instance first
        if fn.getter:
            exported["getter"] = True
        exported_functions[qual] = exported
    facts = facts or ProjectFacts()
    offering = {qual for qual, fn in exported_functions.items() if _offers(fn)}
    # An object tells an importer something new when its class has methods that offer something (a singleton of
    # the module's own Database); a library object alone (a logger) does not make every importer analysed again.
    classes = {qual.rsplit(".", 1)[0] for qual in offering}
    holds = any(held.endswith("()") and held[:-2] in classes for held in facts.objects.values())
    return {"name": name, "module": name, "path": path, "imports": imports,
            "provides": bool(offering) or holds,
            "functions": exported_functions, "calls": sorted(calls),
            "objects": dict(sorted(facts.objects.items())), "bases": {c: list(b) for c, b in sorted(facts.bases.items())}}


def module_facts(analyzer: Analyzer, names: Callable[[str], Iterable[str]] = lambda qual: (qual,),
                 rename: Callable[[str], str] = str) -> ProjectFacts:
    """The objects a module holds at its top level, in its classes' attributes and in their instances' fields
    (only those holding an instance: ``db = Database()``), and its classes' bases. ``names`` gives every qual
    importers may use for one of the module's own quals (JavaScript exports a name under another), ``rename``
    the one its functions are exported under."""
    objects: dict[str, str] = {}

    def add(qual: str, value: Value) -> None:
        if value.qual and value.qual.endswith("()") and len(objects) < MAX_OBJECTS:
            held = rename(value.qual)
            for name in names(qual):
                if name != held:
                    objects[name] = held

    prefix = analyzer.module.name + "."
    for var, value in analyzer.globals.items():
        add(prefix + var, value)
    for cls, attrs in analyzer.class_attrs.items():
        for attr, value in attrs.items():
            add(f"{cls}.{attr}", value)
    for instance, fields in analyzer.fields.items():
        if instance.startswith(prefix):
            for attr, value in fields.items():
                add(f"{instance}.{attr}", value)
    bases = {name: tuple(rename(q) for q in b) for cls, b in analyzer.classes.items() if b for name in names(cls)}
    return ProjectFacts(objects, bases)


def project_facts(summaries: Iterable[dict[str, Any]]) -> ProjectFacts:
    """The objects and class bases other modules export, for the analysis of a file that imports them."""
    facts = ProjectFacts()
    for data in summaries:
        facts.objects.update(data.get("objects") or {})
        facts.bases.update((c, tuple(b)) for c, b in (data.get("bases") or {}).items())
        facts.getters.update(qual.rsplit(".", 1)[-1] for qual, fn in data.get("functions", {}).items() if fn.get("getter"))
    return facts


def _offers(fn: dict[str, Any]) -> bool:
    """Whether knowing this function changes a caller's result compared with an unknown call.

    An unknown call passes every argument's taint to its result, so a function
    that returns all of its parameters untouched and reaches no sink tells a
    caller nothing new; one with sinks, a tainted return, or a return that
    drops or cleans a parameter does.
    """
    if fn["sinks"] or fn["tainted_return"] or fn.get("callbacks"):
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
            found = FunctionInfo.external(qual, params, import_summary(fn, qual.rsplit(".", 1)[-1], path), path,
                                          fn.get("class"), bool(fn.get("getter")))
            self[qual] = found
        return default if found is None else found

    def names_under(self, prefix: str) -> list[str]:
        """The names of other modules' functions that start with ``prefix`` (a module's exports, for a barrel)."""
        return sorted(name for name in self._exported if name.startswith(prefix))

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


def finding_parts(hit: Hit, file: SourceFile) -> tuple[str, str, list[tuple[str, ir.Span, str, str]]]:
    """Where the hit is (its file, its line of code) and its trace as (file, span, note, kind): a sink in another
    module (a flow of this file reaches it) is reported there, its line as that module's summary carried it."""
    trace = [(step.path or file.path, step.span, step.note, step.kind) for step in hit.trace]
    if hit.path is not None:
        return hit.path, hit.snippet or "", trace
    return file.path, file.line(hit.span.line).strip(), trace


def summary_budget_notes(analyzer: Analyzer, path: str) -> list[Note]:
    """No silent limit: a module summary cut by a size budget says so, naming the file."""
    notes = []
    if len(analyzer.outside_calls) >= MAX_OUTSIDE_CALLS:
        notes.append(Note("warning", f"cross-file analysis: more than {MAX_OUTSIDE_CALLS} names of other modules called; "
                          "functions called only beyond them may still be reported as having no caller", path, "budget"))
    if len(module_facts(analyzer).objects) >= MAX_OBJECTS:
        notes.append(Note("warning", f"cross-file analysis: more than {MAX_OBJECTS} module-level objects; calls other "
                          "files make on the rest are not followed", path, "budget"))
    return notes
