"""The application map as typed data: entry points with their inputs, guards and the operations they reach.

Every class is a frozen dataclass with ``to_dict()`` (JSON-able) and
``from_dict()``: the map is written as JSON by ``bastion audit --format json``
and read back by ``bastion dast --routes-from`` and the review-state diff.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bastion.core.model import Location

#: Kinds of entry point.
KINDS = ("http", "cli", "queue", "schedule")
#: Where an input comes from. HTTP: path, query, body, header, cookie, form; CLI: argument, option; queue/schedule: message.
PARAM_LOCATIONS = ("path", "query", "body", "header", "cookie", "form", "argument", "option", "message")
#: Methods that change state on the server (CSRF, authorization and idempotence questions apply).
STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: An HTTP route registered for every method (Express ``all``, a Next.js API route that never tests ``req.method``).
ANY_METHOD = ("DELETE", "GET", "PATCH", "POST", "PUT")


@dataclass(frozen=True)
class Handler:
    """The function the framework calls: file (relative to the root), line, and its qualified name."""

    path: str
    line: int
    name: str

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "name": self.name}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Handler":
        return cls(data["path"], data["line"], data["name"])


@dataclass(frozen=True)
class Param:
    """One input of an entry point. ``type`` is what the framework or code converts it to, None when unknown (a string)."""

    name: str
    location: str
    type: str | None = None
    required: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "location": self.location, "type": self.type, "required": self.required}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Param":
        return cls(data["name"], data["location"], data.get("type"), bool(data.get("required", False)))


@dataclass(frozen=True)
class Guard:
    """A control in front of (or at the top of) a handler.

    ``kind``: authentication, authorization, csrf, rate-limit, validation, or
    csrf-exempt (a control explicitly switched off, which reviewers must see).
    """

    kind: str
    name: str
    location: Location

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "location": self.location.to_dict()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Guard":
        return cls(data["kind"], data["name"], Location.from_dict(data["location"]))


@dataclass(frozen=True)
class Reach:
    """A sensitive operation the handler performs, directly or through the functions in ``via``."""

    category: str
    call: str
    location: Location
    via: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"category": self.category, "call": self.call, "location": self.location.to_dict(), "via": list(self.via)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Reach":
        return cls(data["category"], data["call"], Location.from_dict(data["location"]), tuple(data.get("via", ())))


@dataclass(frozen=True)
class EntryPoint:
    """One way in: an HTTP route, a CLI command, a queue consumer or a scheduled job."""

    kind: str
    framework: str
    methods: tuple[str, ...]
    path: str
    handler: Handler
    params: tuple[Param, ...] = ()
    guards: tuple[Guard, ...] = ()
    reaches: tuple[Reach, ...] = ()
    #: Where the handler (or a helper) reads who the caller is: ``current_user``, ``request.user``, ``req.user``.
    identity: tuple[Location, ...] = ()

    @property
    def id(self) -> str:
        """Stable across runs and line moves: kind, methods, path and handler name (not its line)."""
        methods = ",".join(self.methods)
        return f"{self.kind}:{methods}:{self.path}:{self.handler.path}:{self.handler.name}"

    @property
    def state_changing(self) -> bool:
        return self.kind == "http" and bool(STATE_CHANGING & set(self.methods))

    def guard_kinds(self) -> set[str]:
        return {g.kind for g in self.guards}

    def categories(self) -> set[str]:
        return {r.category for r in self.reaches}

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "framework": self.framework,
            "methods": list(self.methods),
            "path": self.path,
            "handler": self.handler.to_dict(),
            "params": [p.to_dict() for p in self.params],
            "guards": [g.to_dict() for g in self.guards],
            "reaches": [r.to_dict() for r in self.reaches],
            "identity": [loc.to_dict() for loc in self.identity],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "EntryPoint":
        return cls(
            data["kind"], data["framework"], tuple(data.get("methods", ())), data["path"], Handler.from_dict(data["handler"]),
            tuple(Param.from_dict(p) for p in data.get("params", ())),
            tuple(Guard.from_dict(g) for g in data.get("guards", ())),
            tuple(Reach.from_dict(r) for r in data.get("reaches", ())),
            tuple(Location.from_dict(loc) for loc in data.get("identity", ())),
        )


@dataclass
class AppMap:
    """Every entry point found under ``root``, with what could not be read said in ``notes``."""

    root: str
    entry_points: list[EntryPoint] = field(default_factory=list)
    files: int = 0
    notes: list[str] = field(default_factory=list)

    def frameworks(self) -> list[str]:
        return sorted({e.framework for e in self.entry_points})

    def to_dict(self) -> dict[str, Any]:
        return {
            "root": self.root,
            "files": self.files,
            "frameworks": self.frameworks(),
            "entry_points": [e.to_dict() for e in self.entry_points],
            "notes": list(self.notes),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "AppMap":
        return cls(data.get("root", ""), [EntryPoint.from_dict(e) for e in data.get("entry_points", ())], int(data.get("files", 0)), list(data.get("notes", ())))
