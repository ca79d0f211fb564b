"""yarn.lock, both formats: classic (v1, yarn's own indented syntax) and Berry (v2+, YAML with ``__metadata``).

Classic has no well-kept Python parser, and its syntax is small (header
lines of comma-separated ``name@range`` specs, two-space indented fields,
four-space indented dependency maps), so :func:`_parse_classic` reads it
line by line without regexes. Berry files are YAML and go through PyYAML's
safe loader. Direct dependencies come from package.json (classic) or the
workspace entries (Berry).
"""

from __future__ import annotations

from bastion.deps.packages import Dependency, Lines, Loader, ReaderError, annotate
from bastion.deps.readers.npm import manifest_roots
from bastion.deps.readers.yamltext import load_yaml_mapping
from bastion.deps.versions import NPM



def spec_name(spec: str) -> str:
    """``@scope/name@^1.0`` -> ``@scope/name``; ``name@npm:^1`` -> ``name``."""
    spec = spec.strip().strip('"')
    at = spec.find("@", 1)
    return spec[:at] if at > 0 else spec


def _unquote(text: str) -> str:
    text = text.strip()
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] == '"' else text


def _parse_classic(path: str, text: str) -> list[tuple[int, list[str], dict]]:
    """(header line, specs, fields) per entry; fields hold 'version' and 'dependencies' (name -> range)."""
    entries: list[tuple[int, list[str], dict]] = []
    current: dict | None = None
    section: str | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        line = raw.strip()
        if indent == 0:
            if not line.endswith(":"):
                raise ReaderError(f"{path}:{number}: expected 'name@range:' entry header")
            current = {"dependencies": {}}
            section = None
            entries.append((number, [s.strip() for s in line[:-1].split(",") if s.strip()], current))
        elif current is None:
            raise ReaderError(f"{path}:{number}: indented line before any entry")
        elif indent == 2:
            key, _, value = line.partition(" ")
            key = _unquote(key.rstrip(":"))
            section = key if line.endswith(":") and not value else None
            if value:
                current[key] = _unquote(value)
        elif section in ("dependencies", "optionalDependencies"):
            name, _, value = line.partition(" ")
            current["dependencies"][_unquote(name)] = _unquote(value)
    return entries


def _read_classic(path: str, text: str, load: Loader) -> list[Dependency]:
    deps, edges = [], {}
    for number, specs, fields in _parse_classic(path, text):
        name = spec_name(specs[0]) if specs else ""
        version = fields.get("version")
        if not name or not isinstance(version, str):
            continue
        edges.setdefault(name, []).extend(fields["dependencies"])
        deps.append(Dependency(NPM, name, version, path, number, spec=", ".join(_unquote(s) for s in specs)))
    return _roots_and_annotate(path, deps, edges, manifest_roots(path, load))


def _roots_and_annotate(path: str, deps: list[Dependency], edges: dict, roots: list[str] | None) -> list[Dependency]:
    if roots is None:
        pulled = {c for children in edges.values() for c in children}
        roots = [d.name for d in deps if d.name not in pulled]
    return annotate(deps, roots, edges)


def _read_berry(path: str, data: dict, text: str) -> list[Dependency]:
    lines = Lines(text)
    deps, edges, roots = [], {}, []
    for key, entry in data.items():
        if key == "__metadata" or not isinstance(entry, dict):
            continue
        specs = [s.strip() for s in str(key).split(",")]
        name = spec_name(specs[0])
        children = [n for section in ("dependencies", "peerDependencies")
                    for n in (entry.get(section) or {}) if isinstance(entry.get(section), dict)]
        if any("@workspace:" in s for s in specs):
            roots.extend(children)
            continue
        version = entry.get("version")
        edges.setdefault(name, []).extend(children)
        if version is None or not str(version)[:1].isdigit():
            continue
        line = lines.find(f'\n"{key}":', f"\n{key}:")
        deps.append(Dependency(NPM, name, str(version), path, line, spec=str(key)))
    return _roots_and_annotate(path, deps, edges, roots or None)


def read(path: str, text: str, load: Loader) -> list[Dependency]:
    if "__metadata:" in text:
        return _read_berry(path, load_yaml_mapping(path, text), text)
    return _read_classic(path, text, load)
