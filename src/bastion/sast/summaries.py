"""Function summaries between processes: the typed :class:`~bastion.sast.taint.Summary` to JSON and back.

The project pass hands module summaries from worker to worker as JSON (they
are cached and digested as such); inside the core they are always typed. A
sink keeps its file (``path``), the steps from the parameter to it (each with
its file) and its line of code (``snippet``): a caller in another module
reports the flow at the sink, with the whole trace, without reading that file.
"""

from __future__ import annotations

from typing import Any, Callable

from bastion.sast import ir
from bastion.sast.taint import Label, Step, Summary, SummaryCallback, SummarySink, Value

#: The line of the analysed file with a given number (for the snippets of its sinks).
LineText = Callable[[int], str]

MAX_SNIPPET = 200


def export_summary(summary: Summary, path: str, line_text: LineText | None = None,
                   rename: Callable[[str], str] = str) -> dict[str, Any]:
    """A JSON-able form for the project pass (see docs/engines/python.md); ``path`` is the analysed file,
    ``rename`` gives the name importers know one of its quals by (the class of an object it returns)."""
    returned = summary.value.qual
    return {
        "returns": sorted([p, sorted(c), sorted(f)] for p, c, f in summary.returns),
        "sinks": [_export_sink(k, path, line_text) for k in summary.sinks],
        "tainted_return": sorted({(l.kind, tuple(sorted(l.cleared))) for l in summary.value.labels if l.kind != "param"}),
        "returns_object": rename(returned) if returned and returned.endswith("()") else None,
        "return_cleared": sorted(summary.value.cleared),  # rules the result is harmless for (``int(...)``)
        "callbacks": [[c.param, c.arg, [_export_label(l, path) for l in sorted(c.labels, key=Label.sort_key)]]
                      for c in summary.callbacks],
    }


def _export_sink(sink: SummarySink, path: str, line_text: LineText | None) -> dict[str, Any]:
    snippet = sink.snippet
    if snippet is None and sink.path is None and line_text is not None:
        snippet = line_text(sink.span.line).strip()[:MAX_SNIPPET]
    return {"param": sink.param, "rule": sink.rule, "line": sink.span.line, "column": sink.span.column,
            "note": sink.note, "cleared": sorted(sink.cleared), "sources": list(sink.sources),
            "path": sink.path or path, "snippet": snippet or "",
            "trace": [[s.span.line, s.span.column, s.note, s.path or path] for s in sink.trace]}


def import_summary(data: dict[str, Any], name: str, path: str) -> Summary:
    """Inverse of :func:`export_summary` for the module in ``path`` (spans keep line and column only)."""
    returns = frozenset((int(p), frozenset(c), frozenset(f)) for p, c, f in data.get("returns", ()))
    sinks = tuple(_import_sink(s, path) for s in data.get("sinks", ()))
    labels = frozenset(Label(kind, f"the result of {name}()", (), frozenset(cleared))
                       for kind, cleared in data.get("tainted_return", ()))
    callbacks = tuple(SummaryCallback(int(param), int(arg), frozenset(_import_label(l) for l in labels_of))
                      for param, arg, labels_of in data.get("callbacks", ()))
    return Summary(returns, sinks, Value(qual=data.get("returns_object"), labels=labels,
                                         cleared=frozenset(data.get("return_cleared", ()))), callbacks)


def _export_label(label: Label, path: str) -> list[Any]:
    """A label of real data (a source the function reads itself), its steps with their files."""
    return [label.kind, label.origin, sorted(label.cleared), sorted(label.flags),
            [[s.span.line, s.span.column, s.note, s.path or path] for s in label.trace]]


def _import_label(data: list[Any]) -> Label:
    kind, origin, cleared, flags, trace = data
    return Label(kind, origin, tuple(Step(_span(line, column), note, where) for line, column, note, where in trace),
                 frozenset(cleared), frozenset(flags))


def _import_sink(data: dict[str, Any], path: str) -> SummarySink:
    trace = tuple(Step(_span(line, column), note, where) for line, column, note, where in data.get("trace", ()))
    return SummarySink(int(data["param"]), data["rule"], _span(data["line"], data["column"]), data["note"],
                       frozenset(data["cleared"]), tuple(data["sources"]), data.get("path") or path,
                       trace=trace, snippet=data.get("snippet") or None)


def _span(line: int, column: int) -> ir.Span:
    return ir.Span(line, column, line, column)
