"""Valid values for a schema: the baseline request every payload is compared against.

Order of preference: the spec's own ``example``/``default``/``enum``, a value
the auth file or an earlier response supplied (see :mod:`bastion.dast.state`),
then a plain value of the right type, shaped by the field's name and format.
"""

from __future__ import annotations

from typing import Any

_BY_FORMAT = {
    "email": "bastion.probe@example.com",
    "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "date": "2024-01-01",
    "date-time": "2024-01-01T00:00:00Z",
    "uri": "https://example.com/",
    "url": "https://example.com/",
    "ipv4": "192.0.2.1",
    "hostname": "example.com",
    "password": "Bastion-Probe-1",  # bastion: ignore[hardcoded-password] -- a probe value sent to the API under test
}
_BY_NAME = (
    (("email", "mail"), "bastion.probe@example.com"),
    (("url", "uri", "link", "callback", "webhook", "website"), "https://example.com/"),
    (("next", "redirect", "return", "continue", "dest"), "/"),
    (("password", "passwd", "pass"), "Bastion-Probe-1"),
    (("user", "username", "login", "name"), "bastion"),
    (("file", "path", "filename", "doc"), "readme.txt"),
    (("host", "ip", "domain"), "127.0.0.1"),
    (("lang", "locale"), "en"),
)


def example(schema: Any, name: str = "", depth: int = 0) -> Any:
    """A value that ``schema`` accepts, as plausible as we can make it without the server's data."""
    if not isinstance(schema, dict) or depth > 6:
        return "bastion"
    for key in ("example", "default"):
        if key in schema and schema[key] is not None:
            return schema[key]
    examples = schema.get("examples")
    if isinstance(examples, list) and examples:
        return examples[0]
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        return enum[0]
    for combo in ("oneOf", "anyOf", "allOf"):
        options = schema.get(combo)
        if isinstance(options, list) and options:
            if combo == "allOf":
                merged: dict[str, Any] = {}
                for part in options:
                    if isinstance(part, dict):
                        merged.setdefault("properties", {}).update(part.get("properties") or {})
                        merged["type"] = part.get("type", merged.get("type"))
                return example(merged, name, depth + 1)
            return example(options[0], name, depth + 1)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "string")
    if kind is None and isinstance(schema.get("properties"), dict):
        kind = "object"
    if kind == "integer":
        return int(schema.get("minimum", 1)) if isinstance(schema.get("minimum"), (int, float)) else 1
    if kind == "number":
        return float(schema.get("minimum", 1)) if isinstance(schema.get("minimum"), (int, float)) else 1.0
    if kind == "boolean":
        return False
    if kind == "array":
        return [example(schema.get("items"), name, depth + 1)]
    if kind == "object":
        props = schema.get("properties") if isinstance(schema.get("properties"), dict) else {}
        return {k: example(v, k, depth + 1) for k, v in props.items()
                if not (isinstance(v, dict) and v.get("readOnly"))}
    return _string(schema, name)


def _string(schema: dict[str, Any], name: str) -> str:
    fmt = schema.get("format")
    if isinstance(fmt, str) and fmt in _BY_FORMAT:
        return _BY_FORMAT[fmt]
    lowered = name.lower()
    for words, value in _BY_NAME:
        if any(w == lowered or lowered.endswith("_" + w) or lowered.startswith(w) for w in words):
            return value
    if lowered == "id" or lowered.endswith("id"):
        return "1"
    minimum = schema.get("minLength")
    return "bastion" * (int(minimum) // 7 + 1) if isinstance(minimum, int) and minimum > 7 else "bastion"


def is_stringish(schema: dict[str, Any]) -> bool:
    """Whether a payload string is a fair input: strings, or schemas that do not say."""
    kind = schema.get("type") if isinstance(schema, dict) else None
    return kind in (None, "string") or (isinstance(kind, list) and "string" in kind)
