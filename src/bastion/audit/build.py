"""``build_map``: parse the application once and ask each framework finder for its entry points."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from bastion.audit import django_web, javascript_web, jobs, python_web
from bastion.audit.model import AppMap, EntryPoint
from bastion.audit.project import Project, load_project

#: Each finder takes the parsed project and returns the entry points of its frameworks.
FINDERS: tuple[Callable[[Project], list[EntryPoint]], ...] = (python_web.find, django_web.find, javascript_web.find, jobs.find)


class AuditError(ValueError):
    """The map could not be built: a missing path. The message says which."""


def build_map(root: Path | str, config: Any = None) -> AppMap:
    """Every entry point of the application under ``root``, with its inputs, guards and the operations it reaches.

    ``config`` is a :class:`bastion.core.config.Config` (its ``exclude`` patterns
    apply) or None. The tree is only read and parsed, never imported or run.
    """
    root = Path(root)
    if not root.exists():
        raise AuditError(f"{root} does not exist")
    excludes = list(getattr(config, "exclude", None) or [])
    project = load_project(root, excludes)
    return map_of(project)


def map_of(project: Project) -> AppMap:
    entry_points: dict[str, EntryPoint] = {}
    for finder in FINDERS:
        for entry in finder(project):
            entry_points.setdefault(entry.id, entry)
    ordered = sorted(entry_points.values(), key=lambda e: (e.kind, e.path, e.methods, e.handler.path, e.handler.line))
    return AppMap(str(project.root), ordered, len(project.modules), list(project.notes))
