"""Cross-module flows for Python: what a module imports, and its summary for the project pass.

The language-neutral part (summaries out, known callees in, findings naming
the other files) is :mod:`bastion.sast.crossmodule`; this module adds what is
Python's own: module names from imports, relative imports resolved.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable

from bastion.core import parsing
from bastion.sast import ir
from bastion.sast.crossmodule import export as shared_export
from bastion.sast.crossmodule import external_functions, finding_parts, module_facts, project_facts  # noqa: F401
from bastion.sast.python.semantics import statements
from bastion.sast.summaries import LineText
from bastion.sast.taint import Analyzer


def imported_modules(module: ir.Module, resolve: Any) -> list[str]:
    """Every module name the file may import: ``from pkg import mod`` may name the module ``pkg.mod``."""
    names: set[str] = set()
    for stmt in statements(module.body):
        if isinstance(stmt, ir.Import):
            names.add(stmt.module)
        elif isinstance(stmt, ir.ImportFrom):
            base = resolve(stmt.module, stmt.level, module.name)
            if base:
                names.add(base)
            names.update(f"{base}.{name}" if base else name for name, _ in stmt.names if name != "*")
    names.discard(module.name)
    return sorted(names)


def imports_from_tree(tree: Any, data: bytes, name: str, resolve: Callable[[str, int, str], str]) -> list[str]:
    """The names :func:`imported_modules` gives, read from the syntax tree without lowering it: every import
    statement anywhere in the file (the lowering keeps every one, nested blocks included; a few more, in code too
    deep to lower, only make the file wait for more)."""
    names: set[str] = set()
    captures = _import_query().captures(tree.root_node)
    for node in captures.get("import", ()):
        names.update(_imported_names(node, data))
    for node in captures.get("from", ()):
        module_node = node.child_by_field_name("module_name")
        module = _text(data, module_node) if module_node is not None else ""
        base = resolve(module.lstrip("."), len(module) - len(module.lstrip(".")), name)
        if base:
            names.add(base)
        names.update(f"{base}.{item}" if base else item for item in _imported_names(node, data))
    names.discard(name)
    return sorted(names)


def _imported_names(statement: Any, data: bytes) -> list[str]:
    """The names an import statement lists (``a.b`` of ``import a.b as c``, ``x`` of ``from m import x as y``)."""
    targets = (child.child_by_field_name("name") if child.type == "aliased_import" else child
               for child in statement.children_by_field_name("name"))
    return [_text(data, target) for target in targets if target is not None]


@lru_cache(maxsize=1)
def _import_query() -> Any:
    import tree_sitter

    return tree_sitter.QueryCursor(tree_sitter.Query(parsing.grammar("python"),
                                                     "(import_statement) @import (import_from_statement) @from"))


def _text(data: bytes, node: Any) -> str:
    return data[node.start_byte:node.end_byte].decode("utf-8", "replace")


def export(analyzer: Analyzer, module: ir.Module, path: str, imports: list[str],
           line_text: LineText | None = None) -> dict[str, Any]:
    """The module's summary: JSON-able, documented in docs/engines/python.md."""
    out = shared_export(analyzer.functions.items(), module.name, path, imports, analyzer.outside_calls, line_text,
                        module_facts(analyzer))
    roles = getattr(analyzer.hooks, "exported_roles", {})
    if roles:
        out["callbacks"] = dict(sorted(roles.items()))  # other modules' views this one registers (their routes)
    return out
