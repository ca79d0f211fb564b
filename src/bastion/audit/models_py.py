"""Typed request bodies in Python: Pydantic models (FastAPI) and DRF serializers.

The IR keeps a class's annotated fields only when their type is a scalar, so
fields are read from the tree-sitter tree of the class itself (the same
parse, no second one): ``name: str``, ``age: int = 0``, ``tags: list[str] = Field(default_factory=list)``.
"""

from __future__ import annotations

from typing import Any

from bastion.audit.model import Param
from bastion.audit.project import Project
from bastion.audit.sources import SourceModule
from bastion.sast import ir

_TYPES = {"str": "str", "int": "int", "float": "float", "bool": "bool", "UUID": "uuid", "EmailStr": "email", "datetime": "datetime",
          "date": "date", "Decimal": "decimal", "HttpUrl": "url", "AnyUrl": "url", "SecretStr": "str", "bytes": "bytes"}
#: DRF field class -> type.
SERIALIZER_FIELDS = {"CharField": "str", "EmailField": "email", "SlugField": "slug", "URLField": "url", "UUIDField": "uuid", "IntegerField": "int",
                     "FloatField": "float", "DecimalField": "decimal", "BooleanField": "bool", "DateTimeField": "datetime", "DateField": "date",
                     "ChoiceField": "choice", "MultipleChoiceField": "list", "ListField": "list", "DictField": "object", "JSONField": "object",
                     "FileField": "file", "ImageField": "file", "PrimaryKeyRelatedField": "id", "HyperlinkedRelatedField": "url",
                     "SlugRelatedField": "slug", "RegexField": "str", "IPAddressField": "ip", "DurationField": "duration", "TimeField": "time"}


def _class_node(source: SourceModule, name: str) -> Any | None:
    stack = [source.tree.root_node]
    while stack:
        node = stack.pop()
        if node.type == "class_definition":
            name_node = node.child_by_field_name("name")
            if name_node is not None and source.data[name_node.start_byte:name_node.end_byte].decode("utf-8", "replace") == name:
                return node
        if node.type in ("module", "block", "decorated_definition", "if_statement", "class_definition"):
            stack.extend(node.named_children)
    return None


def _text(source: SourceModule, node: Any) -> str:
    return source.data[node.start_byte:node.end_byte].decode("utf-8", "replace")


def _find_class(project: Project, source: SourceModule, expr: ir.Expr | None) -> tuple[SourceModule, str] | None:
    """The project class an annotation names: ``Item``, ``schemas.Item``, ``Optional[Item]``."""
    if isinstance(expr, ir.Index):
        inner = expr.index.items[0] if isinstance(expr.index, ir.Seq) and expr.index.items else expr.index
        return _find_class(project, source, inner)
    if not isinstance(expr, (ir.Name, ir.Attr)):
        return None
    qual = project.scope(source).qual(expr) or ""
    local = f"{source.module.name}.{expr.id}" if isinstance(expr, ir.Name) else ""
    for candidate in (local, qual):
        if candidate in project.classes:
            owner, cls = project.classes[candidate]
            return owner, cls.name
    return None


def model_fields(project: Project, source: SourceModule, annotation: ir.Expr | None) -> list[Param] | None:
    """Body fields of a Pydantic model parameter; None when the annotation is not a project model."""
    found = _find_class(project, source, annotation)
    if found is None:
        return None
    owner, name = found
    node = _class_node(owner, name)
    if node is None:
        return None
    body = node.child_by_field_name("body")
    params = []
    for stmt in body.named_children if body is not None else ():
        assignment = stmt.named_children[0] if stmt.type == "expression_statement" and stmt.named_children else None
        if assignment is None or assignment.type != "assignment":
            continue
        left, type_node, right = (assignment.child_by_field_name(k) for k in ("left", "type", "right"))
        if left is None or type_node is None or left.type != "identifier":
            continue
        type_text = _text(owner, type_node)
        optional = "Optional[" in type_text or "None" in type_text
        required = right is None or (_text(owner, right).startswith("Field(...") ) or (_text(owner, right).startswith("Field(") and "default" not in _text(owner, right) and not optional and "=" not in _text(owner, right))
        params.append(Param(_text(owner, left), "body", _type_of(type_text), bool(required) and not (right is None and optional)))
    return params


def _type_of(text: str) -> str:
    bare = text.replace("Optional[", "").replace("]", "").replace(" | None", "").strip()
    head = bare.split("[")[0].split(".")[-1]
    return _TYPES.get(head, head.lower() if head in ("List", "Dict", "Set") else head)


def serializer_fields(project: Project, source: SourceModule, expr: ir.Expr | None) -> list[Param]:
    """Writable fields of a DRF serializer: declared fields with their types, then ``Meta.fields`` without one."""
    found = _find_class(project, source, expr)
    if found is None:
        return []
    owner, name = found
    cls = next((c for q, (s, c) in project.classes.items() if s is owner and c.name == name), None)
    if cls is None:
        return []
    params: dict[str, Param] = {}
    meta_fields: list[str] = []
    read_only: set[str] = set()
    for stmt in cls.body:
        if isinstance(stmt, ir.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ir.Name) and isinstance(stmt.value, ir.Call):
            field_class = stmt.value.func.name if isinstance(stmt.value.func, ir.Attr) else stmt.value.func.id if isinstance(stmt.value.func, ir.Name) else ""
            if field_class not in SERIALIZER_FIELDS and not field_class.endswith("Field"):
                continue
            if _true(stmt.value.keyword("read_only")):
                read_only.add(stmt.targets[0].id)
                continue
            required_kw = stmt.value.keyword("required")
            required = not (required_kw is not None and not _true(required_kw)) and stmt.value.keyword("default") is None
            name_ = stmt.targets[0].id
            params[name_] = Param(name_, "body", SERIALIZER_FIELDS.get(field_class, field_class), required)
        elif isinstance(stmt, ir.ClassDef) and stmt.name == "Meta":
            for inner in stmt.body:
                if isinstance(inner, ir.Assign) and len(inner.targets) == 1 and isinstance(inner.targets[0], ir.Name):
                    items = [i.value for i in getattr(inner.value, "items", ()) if isinstance(i, ir.Const) and isinstance(i.value, str)]
                    if inner.targets[0].id == "fields":
                        meta_fields = items
                    elif inner.targets[0].id == "read_only_fields":
                        read_only.update(items)
    for name_ in meta_fields:
        if name_ not in params and name_ not in read_only and name_ not in ("id", "pk", "created", "created_at", "updated_at", "url"):
            params[name_] = Param(name_, "body", None, False)
    return list(params.values())


def _true(expr: ir.Expr | None) -> bool:
    return isinstance(expr, ir.Const) and expr.value is True
