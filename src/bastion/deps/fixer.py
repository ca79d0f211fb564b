"""Upgrade edits the way a dependency-update bot writes them: the version inside the existing range, nothing else.

``==1.25.7`` becomes ``==1.26.18``, ``^4.17.15`` becomes ``^4.17.21``,
``~=2.19`` becomes ``~=2.31.0``. Ranges with several comparators, wildcards,
upper bounds or URLs are left alone: a human must choose those.
"""

from __future__ import annotations

from bastion.deps import versions
from bastion.deps.packages import Dependency
from bastion.core.model import Fix, TextEdit

_OPERATORS = ("===", "==", "~=", ">=", "^", "~", "=", "")


def split_simple_range(spec: str) -> tuple[str, str] | None:
    """(operator, version) of a single-comparator range that only sets a floor or a pin, else None."""
    spec = spec.strip()
    if not spec or any(mark in spec for mark in (",", " ", "|", "*", "<", "!", ":", "/")):
        return None
    for op in _OPERATORS:
        if spec.startswith(op) and spec[len(op) :][:1].isdigit():
            return op, spec[len(op) :]
    return None


def upgrade_edit(dep: Dependency, line_text: str, upgrade: str) -> Fix | None:
    """The edit that moves ``dep``'s declared version to ``upgrade`` on its manifest line, or None."""
    parsed = split_simple_range(dep.spec) if dep.spec else None
    if parsed is None:
        return None
    op, old = parsed
    if versions.try_parse(dep.ecosystem, old) is None or versions.try_parse(dep.ecosystem, upgrade) is None:
        return None
    if versions.parse(dep.ecosystem, old) >= versions.parse(dep.ecosystem, upgrade):
        return None
    start = line_text.find(op + old) if op else -1
    if start != -1:
        start += len(op)
    else:
        anchor = max(line_text.find(dep.name), 0)
        start = line_text.find(old, anchor)
    if start == -1:
        return None
    edit = TextEdit(dep.path, dep.line, start + 1, dep.line, start + 1 + len(old), upgrade)
    return Fix(f"upgrade {dep.name} to {upgrade} ({op}{old} -> {op}{upgrade})", (edit,))
