"""The parsed application as one index: modules, their name scopes, and every function by qualified name.

Handlers call helpers in other modules (``services.create_user``); the map
follows those calls through this index, so what a route reaches includes
what its helpers do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bastion.audit.names import Scope, module_scope
from bastion.audit.sources import SourceModule, load_sources
from bastion.sast import ir


@dataclass(frozen=True)
class FunctionRef:
    """A function of the project: where it lives, and the class it is a method of (None for a plain function)."""

    source: SourceModule
    node: ir.FunctionDef
    qual: str
    cls: str | None = None


@dataclass
class Project:
    root: Path
    modules: list[SourceModule]
    notes: list[str] = field(default_factory=list)
    scopes: dict[str, Scope] = field(default_factory=dict)
    functions: dict[str, FunctionRef] = field(default_factory=dict)
    classes: dict[str, tuple[SourceModule, ir.ClassDef]] = field(default_factory=dict)
    _by_name: dict[str, SourceModule] = field(default_factory=dict)
    _by_node: dict[int, FunctionRef] = field(default_factory=dict)
    module_aliases: dict[str, SourceModule] = field(default_factory=dict)  # unambiguous name suffixes (see _alias_suffixes)
    handlers: dict[str, Any] = field(default_factory=dict)  # entry point id -> what its walk saw (body.Facts), for the review checks

    def scope(self, source: SourceModule) -> Scope:
        return self.scopes[source.path]

    def method(self, cls: str, name: str, depth: int = 0) -> FunctionRef | None:
        """``self.name()`` in class ``cls``: its own method, else the first project base class's (a mixin's ``resolve``)."""
        found = self.functions.get(f"{cls}.{name}")
        if found is not None or depth > 4 or cls not in self.classes:
            return found
        source, node = self.classes[cls]
        scope = self.scope(source)
        for base in node.bases:
            qual = scope.qual(base) or ""
            local = f"{source.name}.{base.id}" if isinstance(base, ir.Name) else ""
            for candidate in (local, qual):
                if candidate in self.classes:
                    inherited = self.method(candidate, name, depth + 1)
                    if inherited is not None:
                        return inherited
        return None

    def ref_of(self, source: SourceModule, node: ir.FunctionDef) -> FunctionRef:
        """The indexed reference of a function node; a nested function (a callback) gets one named after its module."""
        ref = self._by_node.get(id(node))
        return ref if ref is not None and ref.node is node else FunctionRef(source, node, f"{source.name}.{node.name}")

    def module_named(self, name: str) -> SourceModule | None:
        if not self._by_name:
            self._by_name.update((s.name, s) for s in self.modules)
        return self._by_name.get(name) or self.module_aliases.get(name)


def load_project(root: Path, excludes: list[str] | None = None) -> Project:
    modules, notes = load_sources(root, excludes)
    project = Project(root, modules, notes)
    for source in modules:
        project.scopes[source.path] = module_scope(source.module, source.path.endswith("__init__.py"))
        for problem in source.module.problems:
            notes.append(f"{source.path}: {problem}")
        _index(project, source, source.module.body, source.name, None)
    _alias_suffixes(project)
    return project


def _alias_suffixes(project: Project) -> None:
    """Also know Python modules by their names without leading packages, when that is unambiguous.

    Applications often put their own folder on ``sys.path`` (``label_studio/`` holds ``projects/``, imported
    as ``projects.api``), so ``include("projects.urls")`` and ``from projects import api`` name modules the
    file layout calls ``label_studio.projects.urls``. A suffix shared by two modules is left out.
    """
    counts: dict[str, int] = {}
    owners: dict[str, SourceModule] = {}
    for source in project.modules:
        if not source.python:
            continue
        parts = source.module.name.split(".")
        for start in range(1, len(parts)):
            suffix = ".".join(parts[start:])
            counts[suffix] = counts.get(suffix, 0) + 1
            owners[suffix] = source
    full = {s.module.name for s in project.modules if s.python}
    for suffix, count in counts.items():
        if count != 1 or suffix in full:
            continue
        source = owners[suffix]
        project.module_aliases[suffix] = source
        prefix = source.module.name + "."
        for table in (project.functions, project.classes):
            for qual in [q for q in table if q.startswith(prefix)]:
                table.setdefault(suffix + "." + qual[len(prefix):], table[qual])


def _index(project: Project, source: SourceModule, body: tuple[ir.Stmt, ...], prefix: str, cls: str | None) -> None:
    for stmt in body:
        if isinstance(stmt, ir.FunctionDef):
            qual = f"{prefix}.{stmt.name}"
            ref = FunctionRef(source, stmt, qual, cls)
            project.functions[qual] = ref
            project._by_node[id(stmt)] = ref
        elif isinstance(stmt, ir.ClassDef):
            qual = f"{prefix}.{stmt.name}"
            project.classes[qual] = (source, stmt)
            _index(project, source, stmt.body, qual, qual)
        elif isinstance(stmt, (ir.If, ir.Try)) and cls is None:
            blocks = [stmt.body, stmt.orelse] if isinstance(stmt, ir.If) else [stmt.body, stmt.orelse, stmt.final]
            for block in blocks:
                _index(project, source, block, prefix, cls)
