"""Cross-module flows for Python: what a module imports, and its summary for the project pass.

The language-neutral part (summaries out, known callees in, findings naming
the other files) is :mod:`bastion.sast.crossmodule`; this module adds what is
Python's own: module names from imports, relative imports resolved.
"""

from __future__ import annotations

from typing import Any

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


def export(analyzer: Analyzer, module: ir.Module, path: str, imports: list[str],
           line_text: LineText | None = None) -> dict[str, Any]:
    """The module's summary: JSON-able, documented in docs/engines/python.md."""
    out = shared_export(analyzer.functions.items(), module.name, path, imports, analyzer.outside_calls, line_text,
                        module_facts(analyzer))
    roles = getattr(analyzer.hooks, "exported_roles", {})
    if roles:
        out["callbacks"] = dict(sorted(roles.items()))  # other modules' views this one registers (their routes)
    return out
