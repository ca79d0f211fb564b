"""Python lockfiles: poetry.lock, uv.lock, pdm.lock, pylock.toml (TOML, via tomllib) and Pipfile.lock (JSON).

Each records exact versions and (except Pipfile.lock) who depends on whom.
The project's own direct dependencies come from the lockfile when it says
(uv.lock's workspace members, pdm.lock's groups) or from the sibling
manifest (pyproject.toml, Pipfile); failing both, packages nothing else
depends on count as direct.
"""

from __future__ import annotations

import posixpath
import tomllib

from packaging.requirements import InvalidRequirement, Requirement

from bastion.deps.packages import Dependency, Lines, Loader, ReaderError, annotate, load_json_object
from bastion.deps.versions import PYPI, normalize_name


def _toml(path: str, text: str) -> dict:
    try:
        return tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError) as exc:  # ValueError: an integer of thousands of digits
        raise ReaderError(f"{path}: invalid TOML: {exc}") from None


def _sibling(path: str, name: str, load: Loader) -> str | None:
    try:
        return load(posixpath.join(posixpath.dirname(path), name))
    except (OSError, ValueError):
        return None


def _manifest_roots(path: str, load: Loader) -> list[str] | None:
    """Direct dependency names from the pyproject.toml beside the lockfile, if it declares any."""
    text = _sibling(path, "pyproject.toml", load)
    if text is None:
        return None
    from bastion.deps.readers import pyproject

    try:
        return [d.name for d in pyproject.read("pyproject.toml", text, load)] or None
    except ReaderError:
        return None


def _req_name(spec: object) -> str | None:
    if isinstance(spec, dict):
        spec = spec.get("name")
    if not isinstance(spec, str):
        return None
    try:
        return normalize_name(PYPI, Requirement(spec).name)
    except InvalidRequirement:
        return normalize_name(PYPI, spec.split()[0]) if spec.split() else None


def _finish(deps: list[Dependency], edges: dict[str, list[str]], roots: list[str] | None) -> list[Dependency]:
    if roots is None:
        pulled = {child for children in edges.values() for child in children}
        roots = [d.name for d in deps if d.name not in pulled]
    return annotate(deps, roots, edges)


def _locate(lines: Lines, name: str, version: str) -> int:
    return lines.find(f'name = "{name}"\nversion = "{version}"', f'name = "{name}"')


def _table_packages(path: str, data: dict, key: str) -> list[dict]:
    packages = data.get(key, [])
    if not isinstance(packages, list) or not all(isinstance(p, dict) for p in packages):
        raise ReaderError(f"{path}: '{key}' must be an array of tables")
    return packages


def read_poetry(path: str, text: str, load: Loader) -> list[Dependency]:
    data, lines = _toml(path, text), Lines(text)
    deps, edges = [], {}
    for pkg in _table_packages(path, data, "package"):
        name, version = normalize_name(PYPI, str(pkg.get("name", ""))), str(pkg.get("version", ""))
        if not name or not version:
            continue
        dev = pkg.get("category") == "dev" or pkg.get("groups") == ["dev"]
        deps.append(Dependency(PYPI, name, version, path, _locate(lines, str(pkg.get("name")), version), dev=dev))
        requires = pkg.get("dependencies")
        edges[name] = [normalize_name(PYPI, d) for d in requires] if isinstance(requires, dict) else []
    return _finish(deps, edges, _manifest_roots(path, load))


def read_uv(path: str, text: str, load: Loader) -> list[Dependency]:
    data, lines = _toml(path, text), Lines(text)
    deps, edges, roots = [], {}, []
    for pkg in _table_packages(path, data, "package"):
        name, version = normalize_name(PYPI, str(pkg.get("name", ""))), pkg.get("version")
        children = [_req_name(d) for d in pkg.get("dependencies") or []]
        for group in list((pkg.get("optional-dependencies") or {}).values()) + list((pkg.get("dev-dependencies") or {}).values()):
            children.extend(_req_name(d) for d in group or [])
        children = [c for c in children if c]
        source = pkg.get("source") or {}
        if isinstance(source, dict) and ("editable" in source or "virtual" in source):
            roots.extend(children)  # a workspace member: the project itself, not a dependency
            continue
        edges[name] = children
        if name and isinstance(version, str):
            deps.append(Dependency(PYPI, name, version, path, _locate(lines, str(pkg.get("name")), version)))
    return _finish(deps, edges, roots or None)


def read_pdm(path: str, text: str, load: Loader) -> list[Dependency]:
    data, lines = _toml(path, text), Lines(text)
    deps, edges = [], {}
    for pkg in _table_packages(path, data, "package"):
        name, version = normalize_name(PYPI, str(pkg.get("name", ""))), pkg.get("version")
        if not name or not isinstance(version, str):
            continue
        groups = pkg.get("groups") or ["default"]
        deps.append(Dependency(PYPI, name, version, path, _locate(lines, str(pkg.get("name")), version), dev="default" not in groups))
        edges[name] = [n for n in (_req_name(d) for d in pkg.get("dependencies") or []) if n]
    return _finish(deps, edges, _manifest_roots(path, load))


def read_pylock(path: str, text: str, load: Loader) -> list[Dependency]:
    data, lines = _toml(path, text), Lines(text)
    deps, edges = [], {}
    for pkg in _table_packages(path, data, "packages"):
        name, version = normalize_name(PYPI, str(pkg.get("name", ""))), pkg.get("version")
        if not name:
            continue
        if isinstance(version, str):
            deps.append(Dependency(PYPI, name, version, path, _locate(lines, str(pkg.get("name")), version)))
        else:
            line = lines.find(f'name = "{pkg.get("name")}"')
            deps.append(Dependency(PYPI, name, None, path, line, spec="(no version: VCS or directory)", kind="url"))
        edges[name] = [n for n in (_req_name(d) for d in pkg.get("dependencies") or []) if n]
    return _finish(deps, edges, _manifest_roots(path, load))


def read_pipfile_lock(path: str, text: str, load: Loader) -> list[Dependency]:
    data = load_json_object(path, text)
    lines = Lines(text)
    deps = []
    for section, dev in (("default", False), ("develop", True)):
        table = data.get(section) or {}
        if not isinstance(table, dict):
            raise ReaderError(f"{path}: '{section}' must be an object")
        for name, entry in table.items():
            if not isinstance(entry, dict):
                continue
            pin = str(entry.get("version", ""))
            version = pin[2:] if pin.startswith("==") else None
            kind = "lockfile" if version else "url"
            deps.append(
                Dependency(PYPI, normalize_name(PYPI, name), version, path, lines.find(f'"{name}": {{'), pin, dev=dev, kind=kind,
                           hashes=tuple(entry.get("hashes") or ()))
            )
    pipfile = _sibling(path, "Pipfile", load)
    if pipfile is None:
        return deps
    try:
        manifest = tomllib.loads(pipfile)
    except (tomllib.TOMLDecodeError, ValueError):
        return deps
    roots = [normalize_name(PYPI, n) for key in ("packages", "dev-packages")
             for n in (manifest.get(key) if isinstance(manifest.get(key), dict) else {})]
    return annotate(deps, roots, {})
