"""The Python SAST engine: tree-sitter tree -> IR -> taint analysis and checks -> findings.

One walk per file: the semantic model (scopes, imports, constants) and the
taint state are built by the same abstract interpretation that emits the
events every check subscribes to. The functions' summaries are exported for
the runner's project pass (:meth:`PythonEngine.summarize`), and a file that
imports other project modules is checked again knowing theirs
(:mod:`bastion.sast.python.crossmodule`).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from bastion.core.config import ConfigError
from bastion.core.engine_api import FileContext, FileEngine, SourceFile
from bastion.core.model import Confidence, Finding, Fix, Note, Rule, Severity, TextEdit, TraceStep
from bastion.sast import ir
from bastion.sast.engine_base import budget_notes, code_digest
from bastion.sast.engine_base import location as _location
from bastion.sast.models import Models, ModelError, load_models
from bastion.sast.python.checks.responses import marked_then_unescaped
from bastion.sast.python.checks.sql import administrative, quotes_doubled
from bastion.sast.crossmodule import summary_budget_notes
from bastion.sast.python.crossmodule import (export, external_functions, finding_parts, imported_modules,
                                             imports_from_tree, project_facts)
from bastion.sast.python.entrypoints import registered_views
from bastion.sast.python.frontend import lower_module, module_name_for
from bastion.sast.python.rules import load_rules, rules_digest
from bastion.sast.python.semantics import PythonHooks
from bastion.sast.taint import Analyzer, Hit

_OPTIONS = {
    "environment-sources": bool,  # treat os.environ / os.getenv as untrusted
    "models": list,  # extra folders of taint models (TOML)
    "max-rounds": int,  # summary fixed-point rounds
}


def validate_options(options: dict[str, Any]) -> dict[str, Any]:
    """Check ``[tool.bastion.python]``; raise ConfigError naming a bad key or value."""
    out: dict[str, Any] = {"environment-sources": False, "models": [], "max-rounds": 4}
    for key, value in options.items():
        norm = key.replace("_", "-")
        if norm not in _OPTIONS:
            raise ConfigError(f"unknown key '{key}' in [tool.bastion.python] (valid: {', '.join(sorted(_OPTIONS))})")
        kind = _OPTIONS[norm]
        if kind is bool and not isinstance(value, bool):
            raise ConfigError(f"[tool.bastion.python] '{key}' must be true or false")
        if kind is int and (isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 20):
            raise ConfigError(f"[tool.bastion.python] '{key}' must be an integer from 1 to 20")
        if kind is list and (not isinstance(value, list) or not all(isinstance(v, str) for v in value)):
            raise ConfigError(f"[tool.bastion.python] '{key}' must be a list of folder paths")
        out[norm] = value
    return out


def models_of(options: dict[str, Any]) -> Models:
    """The models for these options, reloaded when a user's model file changes (a long-lived process sees edits)."""
    folders = tuple(options["models"])
    return models_for(folders, options["environment-sources"], _stamp(folders))


def _stamp(folders: tuple[str, ...]) -> tuple[tuple[str, int, int], ...]:
    stamps = []
    for folder in folders:
        for path in sorted(Path(folder).glob("*.toml")):
            try:
                info = path.stat()
            except OSError:
                continue
            stamps.append((str(path), info.st_mtime_ns, info.st_size))
    return tuple(stamps)


@lru_cache(maxsize=8)
def models_for(extra: tuple[str, ...], environment: bool, stamp: tuple[tuple[str, int, int], ...] = ()) -> Models:
    dirs = list(extra)
    if environment:
        dirs.append(str(Path(__file__).parent.parent / "models" / "optional" / "environment"))
    try:
        return load_models("python", dirs)
    except ModelError as exc:
        raise ConfigError(str(exc)) from None


def analyze(ctx: FileContext, summaries: Iterable[dict[str, Any]] | None = None) -> tuple[Analyzer, list[Hit], ir.Module]:
    """Run the analysis of one file, knowing other modules by their summaries (``ctx.summaries`` by default).

    With the context's own summaries the result is shared through ``ctx.memo``:
    the per-file pass both checks and summarizes a file over one analysis.
    """
    if summaries is None:
        return ctx.memo("python.analysis", lambda: analyze(ctx, list(ctx.summaries.values())))
    options = validate_options(ctx.options or {})
    models = models_of(options)
    tree = ctx.tree("python")
    module = ctx.memo("python.ir", lambda: lower_module(tree, ctx.file.data, ctx.file.path))
    hooks = PythonHooks(ctx.file, options)
    summaries = list(summaries)
    hooks.registered.update(registered_views(summaries, module.name))  # views other modules register (urls.py)
    # Only the modules this file imports: the project may know thousands of functions, and each
    # imported summary already carries what its own imports do.
    wanted = set(imported_modules(module, hooks.resolve_import))
    imported = [s for s in summaries if s.get("name", s.get("module")) in wanted]
    external = external_functions(imported, module.name)
    analyzer = Analyzer(module, models, hooks, max_rounds=options["max-rounds"], external=external,
                        project=project_facts(imported))
    hits = analyzer.run()
    return analyzer, hits, module


def module_summary(ctx: FileContext, summaries: Iterable[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The file's summary for the project pass (JSON-able, documented in docs/engines/python.md).

    Knowing the other modules' summaries lets a module's own summary include
    flows through them: the project pass iterates until nothing changes.
    """
    analyzer, _, module = analyze(ctx, summaries)
    hooks = PythonHooks(ctx.file, {})
    return export(analyzer, module, ctx.file.path, imported_modules(module, hooks.resolve_import), ctx.file.line)


def cross_module_findings(ctx: FileContext, summaries: Iterable[dict[str, Any]]) -> list[Finding | Note]:
    """The file's findings knowing the project's other modules: what the project pass uses instead of the per-file ones."""
    by_name = {s.get("name", s.get("module", "")): s for s in summaries}
    return list(PythonEngine().check_file(FileContext(ctx.file, ctx.options, summaries=by_name)))


class PythonEngine(FileEngine):
    """SAST for Python: semantic model, inter-procedural taint, and pattern checks with context."""

    name = "python"

    def rules(self) -> list[Rule]:
        return list(load_rules().values())

    def wants(self, file: SourceFile) -> bool:
        return file.language == "python"

    def cache_salt(self) -> str:
        material = rules_digest() + load_models("python").digest + code_digest()
        return hashlib.sha256(material.encode()).hexdigest()[:16]

    cross_file = True

    def imports(self, ctx: FileContext) -> dict[str, Any]:
        """The module's name and imports, from the syntax tree alone (the first pass: no lowering, no analysis)."""
        name = module_name_for(ctx.file.path)
        hooks = PythonHooks(ctx.file, {})
        return {"name": name, "prefix": name + ".",
                "imports": imports_from_tree(ctx.tree("python"), ctx.file.data, name, hooks.resolve_import)}

    def summarize(self, ctx: FileContext) -> dict[str, Any]:
        return module_summary(ctx)

    def check_file(self, ctx: FileContext) -> Iterable[Finding | Note]:
        try:
            analyzer, hits, module = analyze(ctx)
        except RecursionError:
            yield Note("skipped", "nesting too deep for the Python analysis", ctx.file.path, "recursion")
            return
        for problem in module.problems:
            yield Note("warning", problem, ctx.file.path, "parse")
        yield from budget_notes(analyzer.unsettled, ctx.file.path, analyzer.max_rounds)
        yield from summary_budget_notes(analyzer, ctx.file.path)
        rules = load_rules()
        for hit in hits:
            if administrative(analyzer.hooks, hit) or marked_then_unescaped(analyzer.hooks, hit):
                continue
            if quotes_doubled(hit):
                hit.data["severity"] = Severity.LOW
            rule = rules.get(hit.rule)
            if rule is not None:
                yield to_finding(rule, hit, ctx.file)


def to_finding(rule: Rule, hit: Hit, file: SourceFile) -> Finding:
    path, snippet, steps = finding_parts(hit, file)
    location = _location(path, hit.span)
    trace = tuple(TraceStep(_location(where, span), note, kind) for where, span, note, kind in steps)
    extra: dict[str, Any] = {"snippet": snippet, "trace": trace, "language": "python"}
    if hit.confidence:
        extra["confidence"] = Confidence.parse(hit.confidence)
    if "severity" in hit.data:
        extra["severity"] = hit.data["severity"]
    if "cwe" in hit.data:
        extra["cwe"] = tuple(hit.data["cwe"])
    fix = hit.data.get("fix")
    if fix is not None:
        description, edits = fix
        extra["fix"] = Fix(description, tuple(TextEdit(file.path, *edit) for edit in edits))
    properties = {k: v for k, v in hit.data.items() if k in ("dynamic", "sink", "caller-unknown", "backtracking", "source-trust")}
    if properties:
        extra["properties"] = properties
    return rule.finding(hit.message, location, **extra)
