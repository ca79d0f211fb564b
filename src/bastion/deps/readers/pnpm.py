"""pnpm-lock.yaml, lockfile versions 5.x to 9.0 (YAML via PyYAML's safe loader).

Package keys changed shape over the versions: ``/name/1.0.0_peer`` (5.x),
``/name@1.0.0(peer@2)`` (6.x), ``name@1.0.0`` with edges moved to
``snapshots`` (9.0). Direct dependencies are the ``importers`` (workspace
projects) or, in single-project 5.x/6.x files, the top-level maps.
"""

from __future__ import annotations

from bastion.deps.packages import Dependency, Lines, Loader, ReaderError, annotate
from bastion.deps.readers.yamltext import load_yaml_mapping
from bastion.deps.versions import NPM

_SECTIONS = ("dependencies", "optionalDependencies", "devDependencies")


def split_key(key: str) -> tuple[str, str] | None:
    """(name, version) of a packages/snapshots key in any lockfile version, or None."""
    key = key.lstrip("/")
    paren = key.find("(")
    if paren != -1:
        key = key[:paren]
    at = key.find("@", 1)
    if at > 0:
        name, version = key[:at], key[at + 1 :]
    else:  # 5.x: name/version, scoped: @scope/name/version
        name, _, version = key.rpartition("/")
        version = version.split("_", 1)[0]
    return (name, version) if name and version[:1].isdigit() else None


def _children(entry: object) -> list[str]:
    if not isinstance(entry, dict):
        return []
    return [n for section in ("dependencies", "optionalDependencies") for n in (entry.get(section) or {})
            if isinstance(entry.get(section), dict)]


def _root_names(data: dict) -> list[str]:
    projects = data.get("importers") if isinstance(data.get("importers"), dict) else {".": data}
    names = []
    for project in projects.values():
        if isinstance(project, dict):
            for section in _SECTIONS:
                if isinstance(project.get(section), dict):
                    names.extend(project[section])
    return names


def read(path: str, text: str, load: Loader) -> list[Dependency]:
    data = load_yaml_mapping(path, text)
    packages = data.get("packages") or {}
    snapshots = data.get("snapshots") or {}
    if not isinstance(packages, dict) or not isinstance(snapshots, dict):
        raise ReaderError(f"{path}: 'packages' and 'snapshots' must be mappings")
    lines = Lines(text)
    deps, edges, seen = [], {}, set()
    for key, entry in list(packages.items()) + list(snapshots.items()):
        parsed = split_key(str(key))
        if parsed is None:
            continue
        name, version = parsed
        edges.setdefault(name, []).extend(_children(entry))
        if (name, version) in seen:
            continue
        seen.add((name, version))
        line = lines.find(f"\n  {key}:", f"\n  '{key}':", f'\n  "{key}":', str(key))
        dev = bool(entry.get("dev")) if isinstance(entry, dict) else False
        deps.append(Dependency(NPM, name, version, path, line, dev=dev))
    return annotate(deps, _root_names(data), edges)
