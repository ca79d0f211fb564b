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

from typing import Any, Iterator

from bastion.sast import ir
from bastion.sast.crossmodule import export
from bastion.sast.javascript.frontend import JsInfo, project_name, project_qual
from bastion.sast.taint import Analyzer, FunctionInfo


def summary(analyzer: Analyzer, module: ir.Module, info: JsInfo, path: str) -> dict[str, Any]:
    """The module's summary for the project pass (JSON-able, documented in docs/engines/javascript.md)."""
    name = project_name(path)
    functions = exported_functions(analyzer, module, info, path)
    return export(functions.items(), name, path, sorted(info.project_imports - {name}), analyzer.outside_calls,
                  _imported_functions(module).values())


def exported_functions(analyzer: Analyzer, module: ir.Module, info: JsInfo, path: str) -> dict[str, FunctionInfo]:
    """The functions other files can call, by the name they call them (``./src/db[].findUser``)."""
    prefix = project_qual(project_name(path))
    imported = _imported_functions(module)
    functions: dict[str, FunctionInfo] = {}
    for exported, local in exports(module, info):
        fn = analyzer.functions.get(f"{module.name}.{local}") or analyzer.external.get(imported.get(local, ""))
        if fn is not None:
            functions[prefix if exported == "default" else f"{prefix}.{exported}"] = fn
    return functions


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
