"""What a JavaScript/TypeScript module offers other files: its exported functions, by the names importers call.

The frontend names a project file's exports ``./<name>[]`` (see
:func:`.frontend.project_qual`), so ``require('./db').findUser``,
``import { findUser } from './db'`` and ``import db from './db'; db.findUser``
all call ``./src/db[].findUser``, and a default export (``module.exports =
fn``, ``export default fn``) is ``./src/db[]`` itself. This module maps each
export form to the function the analysis summarized, or, for a re-export
(``export { findUser } from './db'``, ``module.exports = { findUser }`` of an
imported name), to the other module's function as the project pass knows it; the exchange of
summaries and the findings that name other files are the shared
:mod:`bastion.sast.crossmodule`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Any, Iterable, Iterator

from bastion.core import parsing
from bastion.sast import ir
from bastion.sast.crossmodule import ExternalFunctions, export, module_facts
from bastion.sast.javascript.frontend import JsInfo, Lowerer, project_name, project_qual
from bastion.sast.summaries import LineText
from bastion.sast.taint import Analyzer, FunctionInfo


def summary(analyzer: Analyzer, module: ir.Module, info: JsInfo, path: str,
            line_text: LineText | None = None) -> dict[str, Any]:
    """The module's summary for the project pass (JSON-able, documented in docs/engines/javascript.md)."""
    name = project_name(path)
    public = PublicNames.of(module, info, path)
    functions = exported_functions(analyzer, module, info, path)
    calls = analyzer.outside_calls | {method_call_name(m) for m in called_methods(module)}
    out = export(functions.items(), name, path, sorted(info.project_imports - {name}), calls, line_text,
                 module_facts(analyzer, public.names, public.rename), public.rename)
    roles = getattr(analyzer.hooks, "exported_roles", {})
    if roles:
        out["callbacks"] = dict(sorted(roles.items()))  # other modules' functions this one registers (routes)
    return out


def imports_record(tree: Any, data: bytes, path: str, language: str) -> dict[str, Any]:
    """The module's name, the project modules it imports and the prefix of its exports' names, read from the
    syntax tree without lowering it (the project pass's first step): the specifiers of ``import``/``export ...
    from`` and of ``require()``/``import()`` calls, resolved by the frontend's own code, so the names are those
    the summary's ``imports`` lists."""
    name = project_name(path)
    reader = Lowerer(data, path)
    captures = _import_query(language).captures(tree.root_node)
    for source in captures.get("source", ()):
        reader.module_ref(reader.string_value(source))
    for call in captures.get("call", ()):
        reader.require_of(call)
    return {"name": name, "prefix": project_qual(name), "imports": sorted(reader.info.project_imports - {name})}


@lru_cache(maxsize=None)
def _import_query(language: str) -> Any:
    import tree_sitter

    return tree_sitter.QueryCursor(tree_sitter.Query(parsing.grammar(language), """
        (import_statement source: (string) @source)
        (export_statement source: (string) @source)
        (call_expression function: (identifier) @callee (#eq? @callee "require")) @call
        (call_expression function: (import)) @call"""))


def roles_from(summaries: Iterable[dict[str, Any]], module: ir.Module, info: JsInfo, path: str) -> dict[str, str]:
    """This module's functions that other modules register as callbacks (``router.get('/', users.show)``), by
    local qual, with their role: the role decides what the framework passes their parameters."""
    public = PublicNames.of(module, info, path)
    local = {name: f"{module.name}.{fn}" for fn, names in public.exported.items() for name in
             (public.prefix if exported == "default" else f"{public.prefix}.{exported}" for exported in names)}
    roles: dict[str, str] = {}
    for summary in summaries:
        for name, role in (summary.get("callbacks") or {}).items():
            if name in local:
                roles.setdefault(local[name], role)
    return roles


@dataclass(frozen=True)
class PublicNames:
    """The names other files reach a module's own quals by: ``src.db.Database`` is ``./src/db[].Database`` (and
    ``./src/db[].Store`` too when exported as ``Store``); ``module.exports`` / ``default`` is ``./src/db[]``."""

    local: str  # the module's own prefix of quals (``src.db``)
    prefix: str  # what importers call the module (``./src/db[]``)
    exported: dict[str, tuple[str, ...]]  # local name -> the names it is exported under

    @classmethod
    def of(cls, module: ir.Module, info: JsInfo, path: str) -> "PublicNames":
        exported: dict[str, list[str]] = {}
        for name, local in exports(module, info):
            exported.setdefault(local, []).append(name)
        return cls(module.name, project_qual(project_name(path)), {k: tuple(v) for k, v in exported.items()})

    def names(self, qual: str) -> list[str]:
        """Every name importers may use for ``qual`` (the local-name form last)."""
        if not qual.startswith(self.local + "."):
            return [qual]
        rest = qual[len(self.local) + 1:]
        if rest == "module.exports" or rest.startswith("module.exports."):
            rest = "default" + rest[len("module.exports"):]
        head, dot, tail = rest.partition(".")
        bare, call = (head[:-2], "()") if head.endswith("()") else (head, "")
        out: list[str] = []
        for name in (*self.exported.get(bare, ()), bare):
            base = self.prefix if name == "default" else f"{self.prefix}.{name}"
            if base + call + dot + tail not in out:
                out.append(base + call + dot + tail)
        return out

    def rename(self, qual: str) -> str:
        """The one name a module's functions and objects are exported under."""
        return self.names(qual)[-1]


def exported_functions(analyzer: Analyzer, module: ir.Module, info: JsInfo, path: str) -> dict[str, FunctionInfo]:
    """The functions other files can call, by the name they call them (``./src/db[].findUser``), and the methods of
    the module's classes (``./src/db[].Database.run``: an instance another file made or got calls them)."""
    prefix = project_qual(project_name(path))
    imported = _imported_functions(module)
    functions: dict[str, FunctionInfo] = {}
    for exported, local in exports(module, info):
        fn = analyzer.functions.get(f"{module.name}.{local}") or analyzer.external.get(imported.get(local, ""))
        if fn is not None:
            functions[prefix if exported == "default" else f"{prefix}.{exported}"] = fn
    public = PublicNames.of(module, info, path)
    for qual, fn in analyzer.functions.items():
        if fn.cls is not None and fn.cls.count(".") == module.name.count(".") + 1:  # a method of a top-level class
            for name in public.names(qual):
                functions.setdefault(name, fn)
    functions.update((name, fn) for name, fn in _star_exports(analyzer, info, prefix).items() if name not in functions)
    return functions


def _star_exports(analyzer: Analyzer, info: JsInfo, prefix: str) -> dict[str, FunctionInfo]:
    """A barrel's ``export * from './query'``: every named export of that module (its functions and its classes'
    methods, not its default) under the barrel's name, ``export * as q from`` under ``q``."""
    external = analyzer.external
    found: dict[str, FunctionInfo] = {}
    if not isinstance(external, ExternalFunctions):
        return found
    for source, namespace in info.star_exports:
        for name in external.names_under(source + "."):
            fn = external.get(name)
            rest = name[len(source) + 1:]
            if fn is not None and rest.split(".", 1)[0] != "default":
                found[f"{prefix}.{namespace}.{rest}" if namespace else f"{prefix}.{rest}"] = fn
    return found


def _imported_functions(module: ir.Module) -> dict[str, str]:
    """Local name -> qual of names imported from project modules: a barrel file re-exports what it imports."""
    out: dict[str, str] = {}
    for stmt in module.body:
        if isinstance(stmt, ir.ImportFrom) and stmt.module.startswith("./"):
            out.update(((asname or name), f"{stmt.module}.{name}") for name, asname in stmt.names)
    return out


def exports(module: ir.Module, info: JsInfo) -> Iterator[tuple[str, str]]:
    """(exported name, local name) for every export form; every top-level function counts as exported by its name.

    Counting non-exported functions is harmless: no other file can call them by a name the frontend gives.
    """
    for stmt in module.body:
        if isinstance(stmt, ir.FunctionDef):
            yield stmt.name, stmt.name
        elif isinstance(stmt, ir.Assign) and isinstance(stmt.value, (ir.Name, ir.Dict)):
            for target in stmt.targets:
                yield from _assigned(target, stmt.value)
    yield from info.export_names.items()


def _assigned(target: ir.Expr, value: ir.Expr) -> Iterator[tuple[str, str]]:
    """``module.exports = f`` / ``= { a, b: c }``, ``exports.a = f``, ``module.exports.a = f``, ``export default f``."""
    if _is_module_exports(target) or (isinstance(target, ir.Name) and target.id == "default"):
        if isinstance(value, ir.Name):
            yield "default", value.id
        elif isinstance(value, ir.Dict):
            for key, item in zip(value.keys, value.values):
                if isinstance(key, ir.Const) and isinstance(key.value, str) and isinstance(item, ir.Name):
                    yield key.value, item.id
    elif isinstance(target, ir.Attr) and isinstance(value, ir.Name) and (
        _is_module_exports(target.obj) or (isinstance(target.obj, ir.Name) and target.obj.id == "exports")
    ):
        yield target.name, value.id


def _is_module_exports(expr: ir.Expr) -> bool:
    return isinstance(expr, ir.Attr) and expr.name == "exports" and isinstance(expr.obj, ir.Name) and expr.obj.id == "module"


def method_call_name(method: str) -> str:
    """The name a call ``anything.<method>(...)`` is listed under among a summary's calls: a class method whose
    instances travel through objects the analysis does not type (``manager.addUser(name)`` on a ``ClientManager``
    another module made) has a caller when some file calls a method of its name."""
    return f"method:{method}"


def called_methods(module: ir.Module) -> set[str]:
    """The names of the methods the module calls on any receiver (``x.addUser(...)``, ``this.store.save(...)``)."""
    found: set[str] = set()
    stack: list[Any] = list(module.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (list, tuple)):
            stack.extend(node)
            continue
        if not hasattr(node, "__dataclass_fields__") or isinstance(node, ir.Span):
            continue
        if isinstance(node, ir.Call) and isinstance(node.func, ir.Attr):
            found.add(node.func.name)
        stack.extend(getattr(node, f.name) for f in fields(node))
    return found
