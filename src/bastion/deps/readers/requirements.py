"""requirements*.txt (and constraints files), parsed with ``packaging.requirements``.

Handles line continuations, comments, ``-r``/``-c`` includes (relative to
the including file, confined to the scan root, each file read once),
``--hash`` options, environment markers, extras, direct URLs and
``-e``/``--editable`` entries. An entry is pinned only by ``==``/``===``
without a wildcard; anything else is reported as unpinned.
"""

from __future__ import annotations

import posixpath

from packaging.requirements import InvalidRequirement, Requirement

from bastion.deps.packages import Dependency, Loader, ReaderError
from bastion.deps.versions import PYPI, normalize_name

_INCLUDE = ("-r", "--requirement", "-c", "--constraint")
_EDITABLE = ("-e", "--editable")


def logical_lines(text: str) -> list[tuple[int, str]]:
    """(first physical line number, joined text without comment) for each logical line."""
    out, buffer, start = [], "", 0
    for number, raw in enumerate(text.splitlines(), 1):
        if not buffer:
            start = number
        line = raw
        if line.lstrip().startswith("#"):
            line = ""
        elif " #" in line or "\t#" in line:
            line = line[: min(i for i in (line.find(" #"), line.find("\t#")) if i != -1)]
        if line.endswith("\\"):
            buffer += line[:-1] + " "
            continue
        buffer += line
        if buffer.strip():
            out.append((start, buffer.strip()))
        buffer = ""
    if buffer.strip():
        out.append((start, buffer.strip()))
    return out


def pinned_version(req: Requirement) -> str | None:
    specs = list(req.specifier)
    if len(specs) == 1 and specs[0].operator in ("==", "===") and "*" not in specs[0].version:
        return specs[0].version
    return None


def _split_options(line: str) -> tuple[str, list[str]]:
    """The requirement part and the ``--hash=...`` values of a logical line."""
    words = line.split()
    kept, hashes = [], []
    skip_next = False
    for index, word in enumerate(words):
        if skip_next:
            skip_next = False
            continue
        if word.startswith("--hash"):
            if word == "--hash" and index + 1 < len(words):
                hashes.append(words[index + 1])
                skip_next = True
            else:
                hashes.append(word.partition("=")[2])
        elif word.startswith("--") and kept:
            break  # per-requirement options such as --config-settings end the requirement
        else:
            kept.append(word)
    return " ".join(kept), hashes


def read(path: str, text: str, load: Loader, _seen: set[str] | None = None) -> list[Dependency]:
    seen = _seen if _seen is not None else set()
    seen.add(path)
    deps: list[Dependency] = []
    for number, line in logical_lines(text):
        head, _, rest = line.partition(" ")
        if head in _INCLUDE or any(line.startswith(o + "=") for o in _INCLUDE[1::2]):
            target = rest.strip() if head in _INCLUDE else line.partition("=")[2].strip()
            include = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
            if include in seen or include.startswith("../") or include.startswith("/"):
                continue
            seen.add(include)
            try:
                included = load(include)
            except (OSError, ValueError) as exc:
                raise ReaderError(f"{path}:{number}: cannot read included file {target!r}: {exc}") from None
            deps.extend(read(include, included, load, seen))
            continue
        editable = head in _EDITABLE
        if editable:
            line = rest.strip()
        elif line.startswith("-"):
            continue  # global options: --index-url, --find-links, --pre, ...
        requirement, hashes = _split_options(line)
        try:
            req = Requirement(requirement)
        except InvalidRequirement:
            if editable or "://" in requirement or requirement.startswith((".", "/")):
                continue  # a bare path or URL names no package we can audit
            raise ReaderError(f"{path}:{number}: not a requirement: {requirement[:80]!r}") from None
        name = normalize_name(PYPI, req.name)
        if req.url or editable:
            deps.append(Dependency(PYPI, name, None, path, number, spec=req.url or requirement, direct=True, kind="url"))
            continue
        deps.append(
            Dependency(
                PYPI, name, pinned_version(req), path, number, spec=str(req.specifier), direct=True,
                kind="manifest", hashes=tuple(hashes),
            )
        )
    return deps
