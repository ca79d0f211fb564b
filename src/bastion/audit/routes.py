"""Shared pieces of route discovery: path templates in OpenAPI style, and entry points assembled from facts."""

from __future__ import annotations

import re

from bastion.audit.body import REQUEST, Facts, HandlerWalker
from bastion.audit.model import EntryPoint, Guard, Handler, Param, Reach
from bastion.audit.project import FunctionRef, Project

_FLASK_VAR = re.compile(r"<(?:(?P<conv>[a-zA-Z_][\w]*)(?:\([^)]*\))?:)?(?P<name>[a-zA-Z_]\w*)>")
_REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")
_EXPRESS_VAR = re.compile(r":(?P<name>[A-Za-z_]\w*)(?:\([^)]*\))?(?P<opt>\?)?")
_BRACE_VAR = re.compile(r"\{(?P<name>[A-Za-z_]\w*)(?::[^}]*)?\}")
_NEXT_SEGMENT = re.compile(r"^\[\[?(?:\.\.\.)?(?P<name>[^\]]+)\]?\]$")
#: Converter -> parameter type (Flask/Werkzeug and Django path converters).
CONVERTER_TYPES = {"int": "int", "float": "float", "uuid": "uuid", "path": "path", "slug": "slug", "str": None, "string": None, "any": None}


def join_paths(*parts: str) -> str:
    """``/api`` + ``users/`` + ``/{id}`` -> ``/api/users/{id}``; never an empty path."""
    text = "/".join(p.strip("/") for p in parts if p and p.strip("/"))
    last = next((p for p in reversed(parts) if p), "")
    path = "/" + text
    return path + "/" if text and last.endswith("/") else path


def flask_template(path: str) -> tuple[str, list[Param]]:
    """``/users/<int:user_id>`` -> (``/users/{user_id}``, [user_id: int]); Django's ``<int:pk>`` is the same syntax."""
    params = [Param(m["name"], "path", CONVERTER_TYPES.get(m["conv"] or "string", m["conv"]), True) for m in _FLASK_VAR.finditer(path)]
    return _FLASK_VAR.sub(lambda m: "{" + m["name"] + "}", path), params


def regex_template(pattern: str) -> tuple[str, list[Param]]:
    """Django ``re_path(r'^users/(?P<pk>\\d+)/$')`` -> (``users/{pk}/``, [pk])."""
    params = [Param(m["name"], "path", "int" if r"\d" in m.group(0) else None, True) for m in _REGEX_GROUP.finditer(pattern)]
    text = _REGEX_GROUP.sub(lambda m: "{" + m["name"] + "}", pattern)
    return text.lstrip("^").rstrip("$").replace("\\", ""), params


def express_template(path: str) -> tuple[str, list[Param]]:
    """``/users/:id?`` -> (``/users/{id}``, [id, not required])."""
    params = [Param(m["name"], "path", None, not m["opt"]) for m in _EXPRESS_VAR.finditer(path)]
    return _EXPRESS_VAR.sub(lambda m: "{" + m["name"] + "}", path), params


def brace_template(path: str) -> tuple[str, list[Param]]:
    """FastAPI ``/files/{file_path:path}`` -> (``/files/{file_path}``, [file_path])."""
    params = [Param(m["name"], "path", "path" if m.group(0).endswith(":path}") else None, True) for m in _BRACE_VAR.finditer(path)]
    return _BRACE_VAR.sub(lambda m: "{" + m["name"] + "}", path), params


def next_segment(segment: str) -> tuple[str, Param | None]:
    """Next.js ``[id]`` -> ``{id}``; ``[...slug]`` and ``[[...slug]]`` catch-alls too."""
    match = _NEXT_SEGMENT.match(segment)
    if match is None:
        return segment, None
    optional = segment.startswith("[[")
    return "{" + match["name"] + "}", Param(match["name"], "path", None, not optional)


def entry_point(project: Project, ref: FunctionRef, *, kind: str, framework: str, methods: tuple[str, ...], path: str,
                request_params: tuple[str, ...] = (), params: list[Param] | None = None, guards: list[Guard] | None = None,
                implied: list[Reach] | None = None) -> EntryPoint:
    """Walk the handler and assemble its entry point: declared inputs first, then those its body reads; guards likewise."""
    walker = HandlerWalker(project)
    facts = walker.walk(ref, {name: REQUEST for name in request_params})
    merged = Facts()
    for param in params or ():
        merged.add_param(param.name, param.location, param.type, param.required)
    path_names = {p.name for p in params or () if p.location == "path"}
    for param in facts.params.values():
        if framework == "nextjs" and param.location == "query" and param.name in path_names:
            continue  # the pages router hands dynamic segments over in req.query: the same input, already a path parameter
        merged.add_param(param.name, param.location, param.type, param.required)
    unique_guards = tuple({(g.kind, g.name): g for g in reversed(list(guards or ()) + facts.guards)}.values())[::-1]  # first of each
    reaches = tuple(dict.fromkeys(facts.reaches + list(implied or ())))
    handler = Handler(ref.source.path, ref.node.span.line, display_name(ref))
    identity = tuple(dict.fromkeys(facts.caller_refs))
    entry = EntryPoint(kind, framework, tuple(sorted(set(methods))), path, handler, tuple(merged.params.values()), unique_guards, reaches, identity)
    project.handlers.setdefault(entry.id, facts)
    return entry


def display_name(ref: FunctionRef) -> str:
    """``app.views.UserDetail.get``; a JavaScript callback is named by its file and line, not by its synthetic name."""
    if "$" in ref.node.name:
        base = ref.node.name.split("$")[0]
        return f"{base}@{ref.source.path}:{ref.node.span.line}" if base in ("callback", "arg") else base
    return ref.qual.lstrip("./").replace("[]", "")
