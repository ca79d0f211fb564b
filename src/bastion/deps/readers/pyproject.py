"""pyproject.toml: PEP 621 ``[project]`` dependencies and Poetry's ``[tool.poetry]`` sections."""

from __future__ import annotations

import tomllib

from packaging.requirements import InvalidRequirement, Requirement

from bastion.deps.packages import Dependency, Lines, Loader, ReaderError
from bastion.deps.readers.requirements import pinned_version
from bastion.deps.versions import PYPI, normalize_name, try_parse


def _toml(path: str, text: str) -> dict:
    try:
        return tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError) as exc:  # ValueError: an integer of thousands of digits
        raise ReaderError(f"{path}: invalid TOML: {exc}") from None


def _pep621(path: str, project: dict, lines: Lines) -> list[Dependency]:
    entries: list[tuple[str, bool]] = [(s, False) for s in project.get("dependencies", []) or []]
    for extra in (project.get("optional-dependencies") or {}).values():
        entries.extend((s, False) for s in extra or [])
    deps = []
    for spec, dev in entries:
        if not isinstance(spec, str):
            continue
        try:
            req = Requirement(spec)
        except InvalidRequirement:
            raise ReaderError(f"{path}: not a requirement: {spec[:80]!r}") from None
        line = lines.find(f'"{spec}"', f"'{spec}'")
        kind = "url" if req.url else "manifest"
        deps.append(
            Dependency(PYPI, normalize_name(PYPI, req.name), pinned_version(req), path, line, str(req.specifier), True, dev=dev, kind=kind)
        )
    return deps


def _poetry_pin(constraint: object) -> tuple[str, str | None]:
    """(constraint text, exact version or None) of a Poetry dependency value."""
    if isinstance(constraint, dict):
        constraint = constraint.get("version", "")
    text = str(constraint).strip()
    exact = text.lstrip("=").strip()
    if text and (text.startswith("==") or text[0].isdigit()) and try_parse(PYPI, exact) is not None and "*" not in text:
        return text, exact
    return text, None


def _poetry(path: str, poetry: dict, lines: Lines) -> list[Dependency]:
    tables: list[tuple[dict, bool]] = [(poetry.get("dependencies") or {}, False), (poetry.get("dev-dependencies") or {}, True)]
    for name, group in (poetry.get("group") or {}).items():
        if isinstance(group, dict):
            tables.append((group.get("dependencies") or {}, name != "main"))
    deps = []
    for table, dev in tables:
        if not isinstance(table, dict):
            continue
        for name, constraint in table.items():
            if name.lower() == "python":
                continue
            text, exact = _poetry_pin(constraint)
            line = lines.find(f"\n{name} =", f"\n{name}=", f'"{name}"')
            deps.append(Dependency(PYPI, normalize_name(PYPI, name), exact, path, line, text, True, dev=dev, kind="manifest"))
    return deps


def read(path: str, text: str, load: Loader) -> list[Dependency]:
    data = _toml(path, text)
    lines = Lines(text)
    deps = []
    if isinstance(data.get("project"), dict):
        deps.extend(_pep621(path, data["project"], lines))
    poetry = (data.get("tool") or {}).get("poetry")
    if isinstance(poetry, dict):
        deps.extend(_poetry(path, poetry, lines))
    return deps
