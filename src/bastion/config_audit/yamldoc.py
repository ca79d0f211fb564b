"""Safe YAML loading that keeps line numbers and cannot be blown up by aliases.

PyYAML's composer builds a node graph in which an alias is a second reference
to the anchored node, so a "billion laughs" document is small until someone
expands it. We expand it ourselves under a node budget and a depth bound and
give up with :class:`YamlError` past them. Only the safe resolver and the
scalar constructors run: no tag ever builds an object.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

MAX_BYTES = 1024 * 1024
MAX_NODES = 200_000
MAX_DEPTH = 100

Path = tuple[Any, ...]


class YamlError(ValueError):
    """The text is not YAML we are willing to read; the message says why."""


@dataclass
class YamlDoc:
    """One YAML document as plain data, plus the line (1-based) where each key or item starts."""

    data: Any
    key_lines: dict[Path, int] = field(default_factory=dict)
    value_lines: dict[Path, int] = field(default_factory=dict)

    def line(self, path: Path) -> int:
        """The line of ``path``, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path:
            if path in self.key_lines:
                return self.key_lines[path]
            path = path[:-1]
        return self.key_lines.get((), 1)

    def value_line(self, path: Path) -> int:
        """Where the value at ``path`` starts (the line after ``run: |`` for a block scalar)."""
        return self.value_lines.get(tuple(path), self.line(path))


class _Expander:
    def __init__(self, doc: YamlDoc):
        self.doc = doc
        self.budget = MAX_NODES
        self.constructor = yaml.constructor.SafeConstructor()

    def scalar(self, node: yaml.ScalarNode) -> Any:
        try:
            return self.constructor.construct_object(node)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError):
            return node.value

    def expand(self, node: yaml.Node, path: Path, depth: int) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise YamlError(f"more than {MAX_NODES} nodes after alias expansion")
        if depth > MAX_DEPTH:
            raise YamlError(f"nested deeper than {MAX_DEPTH} levels")
        self.doc.value_lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, child in enumerate(node.value):
                self.doc.key_lines.setdefault(path + (index,), child.start_mark.line + 1)
                items.append(self.expand(child, path + (index,), depth + 1))
            return items
        mapping: dict[Any, Any] = {}
        merged: list[tuple[yaml.Node, yaml.Node]] = []
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                merged.extend(pair for source in sources if isinstance(source, yaml.MappingNode)
                              for pair in source.value)
                continue
            self._put(mapping, key_node, value_node, path, depth, override=True)
        for key_node, value_node in merged:
            self._put(mapping, key_node, value_node, path, depth, override=False)
        return mapping

    def _put(self, mapping: dict, key_node: yaml.Node, value_node: yaml.Node, path: Path, depth: int,
             override: bool) -> None:
        key = self.scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
        try:
            hash(key)
        except TypeError:
            key = None
        if key is None or (not override and key in mapping):
            return
        self.doc.key_lines.setdefault(path + (key,), key_node.start_mark.line + 1)
        mapping[key] = self.expand(value_node, path + (key,), depth + 1)


def load_all(text: str) -> list[YamlDoc]:
    """Every document of ``text``; raises :class:`YamlError` for invalid, oversized or explosive input."""
    if len(text) > MAX_BYTES:
        raise YamlError(f"larger than {MAX_BYTES} bytes")
    docs = []
    try:
        for node in yaml.compose_all(text, Loader=yaml.SafeLoader):
            doc = YamlDoc(None)
            if node is not None:
                doc.data = _Expander(doc).expand(node, (), 0)
            docs.append(doc)
    except yaml.YAMLError as exc:
        raise YamlError(f"invalid YAML: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None
    except RecursionError:
        raise YamlError(f"nested deeper than {MAX_DEPTH} levels") from None
    return docs


def get(data: Any, *keys: Any, default: Any = None) -> Any:
    """``data[k1][k2]...`` through mappings and lists, or ``default`` when any step is missing or of the wrong type."""
    for key in keys:
        if isinstance(data, dict) and key in data:
            data = data[key]
        elif isinstance(data, list) and isinstance(key, int) and 0 <= key < len(data):
            data = data[key]
        else:
            return default
    return data
