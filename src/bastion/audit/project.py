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
    handlers: dict[str, Any] = field(default_factory=dict)  # entry point id -> what its walk saw (body.Facts), for the review checks

    def scope(self, source: SourceModule) -> Scope:
        return self.scopes[source.path]

    def module_named(self, name: str) -> SourceModule | None:
        for source in self.modules:
            if source.name == name:
                return source
        return None


def load_project(root: Path, excludes: list[str] | None = None) -> Project:
    modules, notes = load_sources(root, excludes)
    project = Project(root, modules, notes)
    for source in modules:
        project.scopes[source.path] = module_scope(source.module, source.path.endswith("__init__.py"))
        for problem in source.module.problems:
            notes.append(f"{source.path}: {problem}")
        _index(project, source, source.module.body, source.name, None)
    return project


def _index(project: Project, source: SourceModule, body: tuple[ir.Stmt, ...], prefix: str, cls: str | None) -> None:
    for stmt in body:
        if isinstance(stmt, ir.FunctionDef):
            qual = f"{prefix}.{stmt.name}"
            project.functions[qual] = FunctionRef(source, stmt, qual, cls)
        elif isinstance(stmt, ir.ClassDef):
            qual = f"{prefix}.{stmt.name}"
            project.classes[qual] = (source, stmt)
            _index(project, source, stmt.body, qual, qual)
        elif isinstance(stmt, (ir.If, ir.Try)) and cls is None:
            blocks = [stmt.body, stmt.orelse] if isinstance(stmt, ir.If) else [stmt.body, stmt.orelse, stmt.final]
            for block in blocks:
                _index(project, source, block, prefix, cls)
