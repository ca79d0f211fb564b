"""npm's own files: package.json (ranges) and package-lock.json / npm-shrinkwrap.json v1, v2 and v3 (JSON).

v2/v3 lockfiles key each installed copy by its ``node_modules/...`` path;
the root entry ``""`` and workspace members (keys outside node_modules)
declare the direct dependencies. v1 nests ``dependencies`` and records
edges in ``requires``; its direct dependencies come from package.json.
"""

from __future__ import annotations

import json
import posixpath

import nodesemver

from bastion.deps.packages import Dependency, Lines, Loader, ReaderError, annotate, load_json_object
from bastion.deps.versions import NPM

_MANIFEST_SECTIONS = (("dependencies", False), ("optionalDependencies", False), ("devDependencies", True))


def exact_version(spec: str) -> str | None:
    """The version a range pins exactly (``1.2.3``, ``=1.2.3``, ``v1.2.3``), else None."""
    text = spec.strip().lstrip("=").strip()
    try:
        valid = nodesemver.valid(text, loose=True) if text and text[0] in "0123456789v" else None
    except ValueError:  # a number of thousands of digits (found by the fuzzer)
        return None
    return str(valid) if valid else None


def manifest_roots(path: str, load: Loader) -> list[str] | None:
    """Direct dependency names from the package.json beside a lockfile, or None without one."""
    try:
        data = json.loads(load(posixpath.join(posixpath.dirname(path), "package.json")))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    return [name for key, _ in _MANIFEST_SECTIONS for name in (data.get(key) or {}) if isinstance(data.get(key), dict)]


def read_package_json(path: str, text: str, load: Loader) -> list[Dependency]:
    data, lines = load_json_object(path, text), Lines(text)
    deps = []
    for section, dev in _MANIFEST_SECTIONS:
        table = data.get(section) or {}
        if not isinstance(table, dict):
            raise ReaderError(f"{path}: '{section}' must be an object")
        for name, spec in table.items():
            if not isinstance(spec, str):
                continue
            kind = "url" if ":" in spec or "/" in spec else "manifest"  # git:, file:, npm: aliases, user/repo
            line = lines.find_near(f'"{name}"', f'"{spec}"', window=len(name) + len(spec) + 20)
            version = exact_version(spec) if kind == "manifest" else None
            deps.append(Dependency(NPM, name, version, path, line, spec, True, dev=dev, kind=kind))
    return deps


def _names(entry: dict, *sections: str) -> list[str]:
    """Package names of the given dependency maps of a lockfile entry, maps that are not objects skipped."""
    return [name for section in sections if isinstance(entry.get(section), dict) for name in entry[section]]


def _name_from_key(key: str) -> str:
    return key.rpartition("node_modules/")[2]


def _read_v2(path: str, packages: dict, lines: Lines) -> list[Dependency]:
    deps, edges, roots = [], {}, []
    for key, entry in packages.items():
        if not isinstance(entry, dict):
            continue
        children = _names(entry, "dependencies", "optionalDependencies", "peerDependencies")
        if "node_modules/" not in key:  # the root project or a workspace member
            roots.extend(children + _names(entry, "devDependencies"))
            continue
        name = entry.get("name") if isinstance(entry.get("name"), str) else _name_from_key(key)
        edges.setdefault(name, []).extend(children)
        version = entry.get("version")
        if entry.get("link") or not isinstance(version, str):
            continue
        line = lines.find(f'"{key}": {{', f'"{key}":')
        deps.append(Dependency(NPM, name, version, path, line, dev=bool(entry.get("dev"))))
    return annotate(deps, roots, edges)


def _read_v1(path: str, data: dict, lines: Lines, load: Loader) -> list[Dependency]:
    deps, edges = [], {}

    def walk(table: object, depth: int) -> None:
        if not isinstance(table, dict) or depth > 64:
            return
        for name, entry in table.items():
            if not isinstance(entry, dict):
                continue
            version = entry.get("version")
            edges.setdefault(name, []).extend(_names(entry, "requires"))
            if isinstance(version, str) and exact_version(version):
                line = lines.find_near(f'"{name}": {{', f'"version": "{version}"')
                deps.append(Dependency(NPM, name, version, path, line, dev=bool(entry.get("dev"))))
            walk(entry.get("dependencies"), depth + 1)

    walk(data.get("dependencies"), 0)
    roots = manifest_roots(path, load)
    if roots is None:
        pulled = {c for children in edges.values() for c in children}
        roots = [d.name for d in deps if d.name not in pulled]
    return annotate(deps, roots, edges)


def read_lock(path: str, text: str, load: Loader) -> list[Dependency]:
    data, lines = load_json_object(path, text), Lines(text)
    packages = data.get("packages")
    if isinstance(packages, dict):
        return _read_v2(path, packages, lines)
    return _read_v1(path, data, lines, load)
