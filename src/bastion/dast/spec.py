"""OpenAPI 3.0/3.1 and Swagger 2 documents, read into the operations a run tests.

A loader of our own rather than schemathesis: a run needs each operation's
method, path template and parameters with their schemas (to build one valid
request and then aim payloads at one parameter at a time), not generated
test cases, and schemathesis would bring pytest, hypothesis-jsonschema,
werkzeug and a GraphQL stack into the default install for that. Local
``$ref`` pointers are resolved (cycles cut at a fixed depth); remote ones are
not followed (a spec must not make Bastion fetch other URLs).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bastion.dast.options import DastError

METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
LOCATIONS = ("path", "query", "header", "cookie", "body", "form")
_MAX_REF_DEPTH = 12
MAX_SPEC_BYTES = 20 * 1024 * 1024


class SpecError(DastError):
    """The spec could not be read or is not an OpenAPI/Swagger document; the message says where."""


@dataclass(frozen=True)
class Parameter:
    """One input of an operation. ``location`` is one of :data:`LOCATIONS`; body fields are top-level properties."""

    name: str
    location: str
    schema: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    required: bool = False


@dataclass(frozen=True)
class Operation:
    """One method on one path template, e.g. ``GET /users/{id}``."""

    method: str
    path: str
    parameters: tuple[Parameter, ...] = ()
    operation_id: str = ""
    summary: str = ""
    tags: tuple[str, ...] = ()
    secured: bool | None = None  # None: the spec does not say
    responses: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    body_schema: dict[str, Any] | None = field(default=None, hash=False, compare=False)
    source: str = ""  # "path:line" of the handler when the routes came from the source tree

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    def params(self, *locations: str) -> list[Parameter]:
        return [p for p in self.parameters if p.location in locations]

    @property
    def body_kind(self) -> str | None:
        kinds = {p.location for p in self.parameters} & {"body", "form"}
        return kinds.pop() if kinds else None


@dataclass(frozen=True)
class ApiSpec:
    title: str
    version: str
    base_path: str
    operations: tuple[Operation, ...]


def read_document(text: str, origin: str) -> dict[str, Any]:
    """JSON or YAML text to a mapping; SpecError naming ``origin`` otherwise."""
    try:
        doc = json.loads(text) if text.lstrip().startswith("{") else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise SpecError(f"{origin} is neither JSON nor YAML: {str(exc).splitlines()[0][:200]}") from None
    except RecursionError:
        raise SpecError(f"{origin} nests too deeply to read") from None
    if not isinstance(doc, dict):
        raise SpecError(f"{origin} is not an OpenAPI document (its top level is not a mapping)")
    return doc


def load_file(path: str) -> dict[str, Any]:
    file = Path(path)
    try:
        if not file.is_file():
            raise SpecError(f"spec file {path} does not exist or is not a file")
        if file.stat().st_size > MAX_SPEC_BYTES:
            raise SpecError(f"spec file {path} is larger than {MAX_SPEC_BYTES // (1024 * 1024)} MB")
        text = file.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise SpecError(f"cannot read spec file {path}: {exc.strerror}") from None
    return read_document(text, path)


def parse_spec(doc: dict[str, Any]) -> ApiSpec:
    """The operations of an OpenAPI 3.x or Swagger 2.0 document."""
    version = str(doc.get("openapi") or doc.get("swagger") or "")
    if not (version.startswith("3.") or version.startswith("2.")):
        raise SpecError("not an OpenAPI 3.x or Swagger 2.0 document (no 'openapi: 3.x' or 'swagger: \"2.0\"' field)")
    paths = doc.get("paths")
    if not isinstance(paths, dict):
        raise SpecError("the spec has no 'paths' mapping")
    resolver = _Resolver(doc)
    swagger = version.startswith("2.")
    info = doc.get("info") if isinstance(doc.get("info"), dict) else {}
    base = _base_path(doc, swagger)
    default_security = doc.get("security")
    operations = []
    for path, item in paths.items():
        item = resolver.deref(item)
        if not isinstance(path, str) or not path.startswith("/") or not isinstance(item, dict):
            continue
        shared = item.get("parameters") if isinstance(item.get("parameters"), list) else []
        for method in METHODS:
            op = resolver.deref(item.get(method))
            if not isinstance(op, dict):
                continue
            operations.append(_operation(resolver, method.upper(), base + path, op, shared, swagger, default_security))
    operations.sort(key=lambda o: (o.path, METHODS.index(o.method.lower())))
    return ApiSpec(str(info.get("title", "")), str(info.get("version", "")), base, tuple(operations))


def _base_path(doc: dict[str, Any], swagger: bool) -> str:
    if swagger:
        base = doc.get("basePath")
    else:
        servers = doc.get("servers")
        first = servers[0] if isinstance(servers, list) and servers and isinstance(servers[0], dict) else {}
        url = str(first.get("url", ""))
        base = url.split("://", 1)[1].partition("/")[2] if "://" in url else url
        base = "/" + base.lstrip("/") if base else ""
    base = base.rstrip("/") if isinstance(base, str) else ""
    return "" if "{" in base or (base and not base.startswith("/")) else base


def _operation(resolver: "_Resolver", method: str, path: str, op: dict[str, Any], shared: list,
               swagger: bool, default_security: Any) -> Operation:
    own = op.get("parameters") if isinstance(op.get("parameters"), list) else []
    merged: dict[tuple[str, str], Parameter] = {}
    body_schema = None
    for raw in [*shared, *own]:
        raw = resolver.deref(raw)
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
            continue
        where = raw.get("in")
        if swagger and where == "body":
            body_schema = resolver.resolve(raw.get("schema") or {})
            for p in _body_fields(body_schema, "body"):
                merged[(p.name, p.location)] = p
            continue
        if swagger and where == "formData":
            where = "form"
        schema = resolver.resolve(raw.get("schema") or _inline_schema(raw))
        if where not in LOCATIONS:
            continue
        if "example" in raw and isinstance(schema, dict):
            schema = {**schema, "example": raw["example"]}
        merged[(raw["name"], where)] = Parameter(raw["name"], where, schema if isinstance(schema, dict) else {},
                                                 bool(raw.get("required")) or where == "path")
    body = resolver.deref(op.get("requestBody"))
    if isinstance(body, dict) and isinstance(body.get("content"), dict):
        content = body["content"]
        for media, location in (("application/json", "body"), ("application/x-www-form-urlencoded", "form"),
                                ("multipart/form-data", "form")):
            entry = content.get(media)
            if isinstance(entry, dict):
                body_schema = resolver.resolve(entry.get("schema") or {})
                for p in _body_fields(body_schema, location):
                    merged[(p.name, p.location)] = p
                break
    for name in _template_names(path):
        merged.setdefault((name, "path"), Parameter(name, "path", {"type": "string"}, True))
    security = op.get("security", default_security)
    tags = tuple(str(t) for t in op.get("tags", []) if isinstance(t, (str, int))) if isinstance(op.get("tags"), list) else ()
    return Operation(
        method=method, path=path, parameters=tuple(merged.values()),
        operation_id=str(op.get("operationId", "")), summary=str(op.get("summary", "")), tags=tags,
        secured=None if security is None else bool(security) and security != [{}],
        responses=op.get("responses") if isinstance(op.get("responses"), dict) else {},
        body_schema=body_schema if isinstance(body_schema, dict) else None,
    )


#: Schema keywords a Swagger 2 (or sloppy OpenAPI 3) parameter carries beside its name instead of in ``schema``.
_INLINE_KEYWORDS = ("type", "format", "enum", "pattern", "default", "items", "minimum", "maximum", "minLength", "maxLength")


def _inline_schema(raw: dict[str, Any]) -> dict[str, Any]:
    schema = {k: raw[k] for k in _INLINE_KEYWORDS if k in raw}
    if "x-example" in raw:
        schema["example"] = raw["x-example"]
    return schema


def _body_fields(schema: Any, location: str) -> list[Parameter]:
    if not isinstance(schema, dict):
        return []
    props = schema.get("properties")
    if not isinstance(props, dict):
        return []
    required = schema.get("required") if isinstance(schema.get("required"), list) else []
    return [Parameter(str(name), location, sub if isinstance(sub, dict) else {}, name in required)
            for name, sub in props.items() if not (isinstance(sub, dict) and sub.get("readOnly"))]


def _template_names(path: str) -> list[str]:
    names, rest = [], path
    while "{" in rest and "}" in rest.split("{", 1)[1]:
        inner, rest = rest.split("{", 1)[1].split("}", 1)
        names.append(inner)
    return names


class _Resolver:
    """Local ``$ref`` resolution; a remote or broken reference resolves to an empty schema."""

    #: Schema nodes one spec may expand to: aliases and references must not multiply into a billion laughs.
    BUDGET = 500_000

    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc
        self.spent = 0

    def deref(self, node: Any, depth: int = 0) -> Any:
        while isinstance(node, dict) and isinstance(node.get("$ref"), str) and depth < _MAX_REF_DEPTH:
            node = self._lookup(node["$ref"])
            depth += 1
        return {} if isinstance(node, dict) and "$ref" in node else node

    def resolve(self, node: Any, depth: int = 0) -> Any:
        """``node`` with every nested local reference replaced, cut at :data:`_MAX_REF_DEPTH` levels."""
        if depth > _MAX_REF_DEPTH:
            return {}
        self.spent += 1
        if self.spent > self.BUDGET:
            raise SpecError(f"the spec expands to more than {self.BUDGET} schema nodes; refusing to read it")
        node = self.deref(node)
        if isinstance(node, dict):
            return {k: self.resolve(v, depth + 1) for k, v in node.items()}
        if isinstance(node, list):
            return [self.resolve(v, depth + 1) for v in node]
        return node

    def _lookup(self, ref: str) -> Any:
        if not ref.startswith("#/"):
            return {}
        node: Any = self.doc
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                return {}
        return node
