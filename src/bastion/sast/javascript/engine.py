"""The JavaScript/TypeScript SAST engine: tree-sitter tree -> shared IR -> shared taint core -> findings.

The frontend (:mod:`.frontend`) lowers JS, TS, JSX and TSX to
:mod:`bastion.sast.ir`; :class:`bastion.sast.taint.Analyzer` runs with the
JavaScript models (``sast/models/javascript``) and :class:`.semantics.JsHooks`;
the checks that depend on argument shapes run as hook handlers, and a few
purely syntactic ones walk the IR once (:func:`.checks.misc.walk_syntax`).
Exported functions' summaries go to the runner's project pass
(:meth:`JavaScriptEngine.summarize`, :mod:`.crossmodule`), and a file that
imports project modules is checked again knowing theirs.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Any, Iterable

from bastion.core.config import ConfigError
from bastion.core.engine_api import FileContext, FileEngine, SourceFile
from bastion.core.model import Confidence, Finding, Note, Rule, TraceStep
from bastion.sast import ir
from bastion.sast.crossmodule import external_functions, finding_parts, project_facts, summary_budget_notes
from bastion.sast.engine_base import budget_notes, code_digest
from bastion.sast.engine_base import location as _location
from bastion.sast.javascript import checks
from bastion.sast.javascript.checks.misc import walk_syntax
from bastion.sast.javascript.crossmodule import exported_functions, imports_record, method_call_name, roles_from, summary
from bastion.sast.javascript.frontend import JsInfo, lower_module, project_name
from bastion.sast.javascript.rules import load_rules, rules_digest
from bastion.sast.javascript.semantics import JsHooks
from bastion.sast.models import Models, ModelError, load_models
from bastion.sast.taint import Analyzer, Hit

LANGUAGES = frozenset({"javascript", "typescript", "tsx"})
_OPTIONS = {"models": list, "max-rounds": int, "max-file-bytes": int}


def validate_options(options: dict[str, Any]) -> dict[str, Any]:
    """Check ``[tool.bastion.javascript]``; raise ConfigError naming a bad key or value."""
    out: dict[str, Any] = {"models": [], "max-rounds": 4, "max-file-bytes": 2_000_000}
    for key, value in options.items():
        norm = key.replace("_", "-")
        if norm not in _OPTIONS:
            raise ConfigError(f"unknown key '{key}' in [tool.bastion.javascript] (valid: {', '.join(sorted(_OPTIONS))})")
        kind = _OPTIONS[norm]
        if kind is list and (not isinstance(value, list) or not all(isinstance(v, str) for v in value)):
            raise ConfigError(f"[tool.bastion.javascript] '{key}' must be a list of folder paths")
        if kind is int and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
            raise ConfigError(f"[tool.bastion.javascript] '{key}' must be a positive integer")
        if norm == "max-rounds" and value > 20:
            raise ConfigError(f"[tool.bastion.javascript] '{key}' must be an integer from 1 to 20")
        out[norm] = value
    return out


@lru_cache(maxsize=8)
def models_for(extra: tuple[str, ...]) -> Models:
    try:
        return load_models("javascript", list(extra))
    except ModelError as exc:
        raise ConfigError(str(exc)) from None


def _dicts(module: ir.Module) -> dict[str, ir.Dict]:
    """Local names bound to object literals anywhere in the file (option objects passed by name).

    A name whose fields are assigned elsewhere (``options.cookie = {...settings.cookie}``) is left out: the literal
    alone no longer says what the options hold."""
    found: dict[str, ir.Dict] = {}
    changed: set[str] = set()
    stack: list[Any] = list(module.body)
    while stack:
        stmt = stack.pop()
        if isinstance(stmt, ir.Assign):
            for target in stmt.targets:
                if isinstance(target, ir.Name) and isinstance(stmt.value, ir.Dict):
                    found.setdefault(target.id, stmt.value)
                elif isinstance(target, (ir.Attr, ir.Index)) and isinstance(target.obj, ir.Name):
                    changed.add(target.obj.id)
        for attr in ("body", "orelse", "final"):
            stack.extend(getattr(stmt, attr, ()) or ())
        for handler in getattr(stmt, "handlers", ()) or ():
            stack.extend(handler.body)
    return {name: literal for name, literal in found.items() if name not in changed}


def analyze(ctx: FileContext) -> tuple[list[Hit], ir.Module]:
    hits, module, _, _ = _analyze(ctx)
    return hits, module


def module_summary(ctx: FileContext) -> dict[str, Any]:
    """The file's summary for the project pass (see :mod:`.crossmodule` and docs/engines/javascript.md).

    Knowing the other modules' summaries (``ctx.summaries``) lets a module's
    own summary include flows through them: the project pass iterates until
    nothing changes.
    """
    _, module, analyzer, info = _analyze(ctx)
    return summary(analyzer, module, info, ctx.file.path, ctx.file.line)


def _analyze(ctx: FileContext) -> tuple[list[Hit], ir.Module, Analyzer, JsInfo]:
    """One analysis per file and context, shared by check_file and summarize through ``ctx.memo``."""
    return ctx.memo("javascript.analysis", lambda: _run(ctx))


def _run(ctx: FileContext) -> tuple[list[Hit], ir.Module, Analyzer, JsInfo]:
    options = validate_options(ctx.options or {})
    models = models_for(tuple(options["models"]))
    tree = ctx.tree(ctx.file.language)
    module, info = ctx.memo("javascript.ir", lambda: lower_module(tree, ctx.file.data, ctx.file.path))
    hooks = JsHooks(ctx.file, info, checks.load())
    hooks.dicts = _dicts(module)
    hooks.roles.update(roles_from(ctx.summaries.values(), module, info, ctx.file.path))
    own = project_name(ctx.file.path)
    others = [s for s in ctx.summaries.values() if s.get("module") != own]
    analyzer = Analyzer(module, models, hooks, max_rounds=options["max-rounds"], external=external_functions(others, own),
                        project=project_facts(others))
    hits = analyzer.run()
    hits += [Hit(rule, span, message) for rule, span, message in walk_syntax(module)]
    return hits, module, analyzer, info


class JavaScriptEngine(FileEngine):
    """SAST for JavaScript and TypeScript: Node, Express/Koa/Fastify/Next.js/NestJS, the DOM and React."""

    name = "javascript"

    def rules(self) -> list[Rule]:
        return list(load_rules().values())

    def wants(self, file: SourceFile) -> bool:
        return file.language in LANGUAGES

    def cache_salt(self) -> str:
        material = rules_digest() + load_models("javascript").digest + code_digest()
        return hashlib.sha256(material.encode()).hexdigest()[:16]

    cross_file = True

    def imports(self, ctx: FileContext) -> dict[str, Any] | None:
        """The module's name and the project modules it imports, from the syntax tree alone (no lowering)."""
        if len(ctx.file.data) > validate_options(ctx.options or {})["max-file-bytes"]:
            return None
        return imports_record(ctx.tree(ctx.file.language), ctx.file.data, ctx.file.path, ctx.file.language)

    def summarize(self, ctx: FileContext) -> dict[str, Any] | None:
        if len(ctx.file.data) > validate_options(ctx.options or {})["max-file-bytes"]:
            return None
        try:
            return module_summary(ctx)
        except RecursionError:
            return None

    def check_file(self, ctx: FileContext) -> Iterable[Finding | Note]:
        limit = validate_options(ctx.options or {})["max-file-bytes"]
        if len(ctx.file.data) > limit:
            yield Note("skipped", f"larger than max-file-bytes ({limit}); not analysed", ctx.file.path, "size")
            return
        try:
            hits, module = analyze(ctx)
        except RecursionError:
            yield Note("skipped", "nesting too deep for the JavaScript analysis", ctx.file.path, "recursion")
            return
        for problem in module.problems:
            yield Note("warning", problem, ctx.file.path, "parse")
        _, _, analyzer, info = _analyze(ctx)
        yield from budget_notes(analyzer.unsettled, ctx.file.path, analyzer.max_rounds)
        yield from summary_budget_notes(analyzer, ctx.file.path)
        names = {fn.qual: exported for exported, fn in exported_functions(analyzer, module, info, ctx.file.path).items()}
        rules = load_rules()
        seen: set[tuple[str, str, int, int]] = set()
        for hit in sorted(hits, key=lambda h: (h.path or "", h.span.line, h.span.column, h.rule)):
            rule = rules.get(hit.rule)
            key = (hit.rule, hit.path or "", hit.span.line, hit.span.column)
            if rule is not None and key not in seen:
                seen.add(key)
                if "caller-unknown" in hit.data:  # the name other files call the function by, if they can
                    hit.data["caller-unknown"] = _caller_name(analyzer, names, hit.data["caller-unknown"])
                yield to_finding(rule, hit, ctx.file)


def _caller_name(analyzer: Analyzer, names: dict[str, str], qual: str) -> str:
    """What a call from another file must name for a function to have a caller: a class method is called on an
    instance the analysis does not type, so by its method name (:func:`.crossmodule.method_call_name`)."""
    fn = analyzer.functions.get(qual)
    if fn is not None and fn.cls is not None:
        return method_call_name(fn.name)
    return names.get(qual, qual)


def to_finding(rule: Rule, hit: Hit, file: SourceFile) -> Finding:
    path, snippet, steps = finding_parts(hit, file)
    trace = tuple(TraceStep(_location(where, span), note, kind) for where, span, note, kind in steps)
    extra: dict[str, Any] = {"snippet": snippet[:200], "trace": trace, "language": file.language}
    if hit.confidence:
        extra["confidence"] = Confidence.parse(hit.confidence)
    properties = {k: v for k, v in hit.data.items() if k in ("dynamic", "caller-unknown", "backtracking", "source-trust")}
    if properties:
        extra["properties"] = properties
    return rule.finding(hit.message, _location(path, hit.span), **extra)
