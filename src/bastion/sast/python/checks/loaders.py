"""Loaders and engines whose default is unsafe whatever the data: yaml.load without a safe loader, torch.load without weights_only, numpy allow_pickle, Jinja2 without autoescape."""

from __future__ import annotations

from pathlib import PurePosixPath

from bastion.sast import ir
from bastion.sast.python.checks import on_call
from bastion.sast.python.checks.aliases import candidates
from bastion.sast.python.semantics import statements
from bastion.sast.taint import Analyzer, CallEvent

SAFE_YAML_LOADERS = frozenset({"yaml.SafeLoader", "yaml.CSafeLoader", "yaml.BaseLoader", "yaml.CBaseLoader"})


@on_call("yaml.load", "yaml.load_all")
def yaml_load(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    loader = event.arg(1, "Loader")
    if loader is not None and loader.qual in SAFE_YAML_LOADERS:
        return
    expr = event.node.keyword("Loader") or (event.node.args[1] if len(event.node.args) > 1 else None)
    choices = candidates(hooks, analyzer, expr)
    if choices and choices <= SAFE_YAML_LOADERS:
        return  # getattr(yaml, "CSafeLoader", yaml.SafeLoader): safe whichever is picked
    data: dict = {}
    func = event.node.func
    if loader is None and isinstance(func, ir.Attr) and func.span.line == func.span.end_line:
        suffix = func.name
        end = func.span.end_column
        data["fix"] = ("use yaml.safe_load", [(func.span.line, end - len(suffix), func.span.line, end, "safe_" + suffix)])
    named = " or ".join(sorted(choices)) or loader.qual if loader is not None else None
    what = "without a Loader" if loader is None else f"with {named or 'a non-safe Loader'}"
    analyzer.report("unsafe-deserialization", event.node.span, f"{event.qual} {what} can build arbitrary Python objects", data=data)


@on_call("yaml.unsafe_load", "yaml.unsafe_load_all", "yaml.full_load")
def yaml_unsafe(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    analyzer.report("unsafe-deserialization", event.node.span, f"{event.qual} builds arbitrary Python objects")


@on_call("torch.load")
def torch_load(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    flag = event.kwargs.get("weights_only")
    if flag is not None and (not flag.is_const or flag.const):
        return
    analyzer.report("unsafe-deserialization", event.node.span, "torch.load() without weights_only=True unpickles arbitrary objects")


@on_call("numpy.load")
def numpy_pickle(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    flag = event.kwargs.get("allow_pickle")
    if flag is not None and flag.is_const and flag.const:
        analyzer.report("unsafe-deserialization", event.node.span, "numpy.load(allow_pickle=True) unpickles arbitrary objects")


@on_call("jinja2.Environment", "jinja2.Template", "jinja2.environment.Environment")
def jinja_autoescape(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    flag = event.kwargs.get("autoescape")
    hooks.jinja_autoescape.add(flag is not None and not (flag.is_const and not flag.const))
    if (flag is None or (flag.is_const and not flag.const)) and not _renders_only_text(analyzer, event):
        what = "without autoescape" if flag is None else "with autoescape=False"
        analyzer.report("template-autoescape-disabled", event.node.span, f"{event.qual.rsplit('.', 1)[-1]} created {what}: HTML is not escaped")


#: Template file extensions of markup (what Flask's and select_autoescape's defaults escape, and Jinja's own).
_MARKUP_SUFFIXES = frozenset({".html", ".htm", ".xml", ".xhtml", ".svg", ".jinja", ".jinja2", ".j2", ".jhtml"})


def _renders_only_text(analyzer: Analyzer, event: CallEvent) -> bool:
    """An Environment assigned to a name whose every ``get_template()`` in the same function (or module) names a
    template that is not markup (``config_env.get_template("config.cfg.template")``): it writes a configuration
    file or a plain-text mail, where HTML escaping would corrupt the output."""
    fn = analyzer.current_function
    body = fn.node.body if fn is not None else analyzer.module.body
    names = [a.targets[0].id for a in statements(body) if isinstance(a, ir.Assign) and a.value is event.node
             and len(a.targets) == 1 and isinstance(a.targets[0], ir.Name)]
    if len(names) != 1:
        return False
    calls = [c for c in _calls(body) if isinstance(c.func, ir.Attr) and c.func.name == "get_template"
             and isinstance(c.func.obj, ir.Name) and c.func.obj.id == names[0]]
    templates = [c.args[0].value if c.args and isinstance(c.args[0], ir.Const) else None for c in calls]
    return bool(templates) and all(isinstance(t, str) and not _MARKUP_SUFFIXES & set(PurePosixPath(t).suffixes) for t in templates)


def _calls(body: tuple[ir.Stmt, ...]) -> list[ir.Call]:
    """The calls of a block's statements (assigned, returned or on their own), method chains included."""
    found: list[ir.Call] = []
    for stmt in statements(body):
        expr = stmt.value if isinstance(stmt, (ir.Assign, ir.Return)) else stmt.expr if isinstance(stmt, ir.ExprStmt) else None
        while isinstance(expr, (ir.Call, ir.Attr)):
            if isinstance(expr, ir.Call):
                found.append(expr)
                expr = expr.func
            else:
                expr = expr.obj
    return found

