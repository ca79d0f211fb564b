"""Operations from Bastion's static map of the source tree (``--routes-from``): the HTTP entry points that
``bastion.audit.build_map`` finds in Flask, FastAPI, Django and Express code, with their parameters, guards and
handler location (findings then point at the handler's file and line as well as the endpoint)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bastion.dast.options import DastError
from bastion.dast.spec import LOCATIONS, Operation, Parameter
from bastion.core.model import Note

#: The map's parameter types (what the framework converts to) as JSON Schema types.
_TYPES = {"int": "integer", "integer": "integer", "float": "number", "number": "number", "decimal": "number",
          "bool": "boolean", "boolean": "boolean", "uuid": "string", "path": "string", "str": "string",
          "string": "string", "list": "array", "dict": "object", "object": "object"}
_ADMIN_WORDS = ("admin", "staff", "superuser", "role")


def operations_from_map(root: str) -> tuple[list[Operation], list[Note]]:
    """``root`` is a source tree (mapped now) or a map saved by ``bastion audit -f map`` (JSON)."""
    from bastion.audit import AppMap, AuditError, build_map

    try:
        if Path(root).is_file():
            app_map = AppMap.from_dict(json.loads(Path(root).read_text(encoding="utf-8")))
        else:
            app_map = build_map(root)
    except AuditError as exc:
        raise DastError(f"--routes-from: {exc}") from None
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise DastError(f"--routes-from {root}: not a map written by `bastion audit -f map` ({type(exc).__name__})") from None
    operations: dict[str, Operation] = {}
    for entry in app_map.entry_points:
        if entry.kind != "http":
            continue
        for method in entry.methods:
            op = _operation(entry, method.upper())
            operations.setdefault(op.key, op)
    notes = [Note("warning", f"--routes-from: {text}") for text in app_map.notes]
    notes.append(Note("info", f"routes from the source tree: {len(operations)} operation(s) of "
                              f"{', '.join(app_map.frameworks()) or 'no framework'} in {app_map.files} file(s)"))
    return sorted(operations.values(), key=lambda o: (o.path, o.method)), notes


def _schema(type_name: str | None) -> dict[str, Any]:
    kind = _TYPES.get((type_name or "").lower())
    return {"type": kind} if kind else {}


def _operation(entry, method: str) -> Operation:
    params = [Parameter(p.name, p.location, _schema(p.type), p.required or p.location == "path")
              for p in entry.params if p.location in LOCATIONS]
    if method in ("GET", "HEAD", "DELETE"):
        params = [p for p in params if p.location not in ("body", "form")]
    guards = entry.guard_kinds()
    admin = any(word in g.name.lower() for g in entry.guards for word in _ADMIN_WORDS)
    return Operation(
        method=method, path=entry.path, parameters=tuple(params), operation_id=entry.handler.name,
        tags=("admin",) if admin else (), secured=True if guards & {"authentication", "authorization"} else None,
        source=f"{entry.handler.path}:{entry.handler.line}",
    )
