"""Loaders and engines whose default is unsafe whatever the data: yaml.load without a safe loader, torch.load without weights_only, numpy allow_pickle, Jinja2 without autoescape."""

from __future__ import annotations

from bastion.sast import ir
from bastion.sast.python.checks import on_call
from bastion.sast.python.checks.aliases import candidates
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
    if flag is None or (flag.is_const and not flag.const):
        what = "without autoescape" if flag is None else "with autoescape=False"
        analyzer.report("template-autoescape-disabled", event.node.span, f"{event.qual.rsplit('.', 1)[-1]} created {what}: HTML is not escaped")
