"""The scanned tree as parsed modules: read safely, parsed once with the SAST frontends' parsers, lowered to the shared IR.

JavaScript under ``static/``, ``public/``, ``dist/``, ``build/``... is browser code or
build output, not a server's entry points, and is left out.

The tree is hostile: files come from :func:`bastion.pipeline.workspace.discover`
(no symlink out of the root, only regular files), are read through
:func:`bastion.host.files.read_confined` under a size cap, and are only ever
parsed, never imported or run. Test code and vendored code are not entry points.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bastion.core import parsing
from bastion.sast import ir
from bastion.sast.javascript.frontend import JsInfo, project_name, project_qual
from bastion.sast.javascript.frontend import lower_module as lower_javascript
from bastion.sast.python.frontend import lower_module as lower_python
from bastion.pipeline.workspace import classify_content, detect_language, discover
from bastion.host.files import read_confined

MAX_FILE_BYTES = 2_000_000
_TEST_DIRS = frozenset({"test", "tests", "testing", "__tests__", "__mocks__", "spec", "e2e", "cypress"})
#: Folders of JavaScript that runs in the browser or is built output (bundles, copies of the sources), not server entry points.
_CLIENT_DIRS = frozenset({"static", "public", "assets", "dist", "build", "out", "coverage", "www", "bundles", "webpack"})
_TEST_SUFFIXES = (".test.js", ".test.ts", ".spec.js", ".spec.ts", ".test.tsx", ".spec.tsx", ".test.jsx", ".test.mjs", "_test.py")


@dataclass
class SourceModule:
    """One parsed file: its IR, the facts the JavaScript IR keeps beside it, its text by line, its dotted name."""

    path: str
    language: str
    module: ir.Module
    lines: list[str]
    tree: Any
    data: bytes
    js: JsInfo | None = None

    @property
    def python(self) -> bool:
        return self.language == "python"

    @property
    def name(self) -> str:
        """What other modules import this one as: ``pkg.mod`` for Python, ``./src/db[]`` for JavaScript."""
        return self.module.name if self.python else project_qual(project_name(self.path))

    def line(self, number: int) -> str:
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""


def is_test_path(path: str) -> bool:
    parts = path.split("/")
    name = parts[-1]
    return (any(p in _TEST_DIRS for p in parts[:-1]) or name.startswith("test_") or name == "conftest.py"
            or name.endswith(_TEST_SUFFIXES))


_HASHED_NAME = re.compile(r"[.-][0-9a-f]{8,}\.(m?js|css)$")


def is_client_path(path: str) -> bool:
    """Browser code or build output: under ``static*/``, ``public/``, ``dist*/``, ``build*/``..., or a content-hashed bundle name."""
    folders = path.split("/")[:-1]
    return (any(part in _CLIENT_DIRS or part.startswith(("static", "dist", "build")) for part in folders)
            or bool(_HASHED_NAME.search(path)))


def load_sources(root: Path, excludes: list[str] | None = None) -> tuple[list[SourceModule], list[str]]:
    """Every Python and JavaScript/TypeScript file of the application under ``root`` (tests left out), and notes."""
    notes: list[str] = []
    found = discover(root, excludes=excludes or [])
    modules = []
    for relpath in found.files:
        language = detect_language(relpath)
        if language not in parsing.supported_languages() or is_test_path(relpath) or (language != "python" and is_client_path(relpath)):
            continue
        try:
            data = read_confined(found.root, relpath, MAX_FILE_BYTES)
        except (OSError, ValueError) as exc:
            notes.append(f"{relpath}: not read ({exc})")
            continue
        if classify_content(relpath, data[:8192]) is not None:
            continue
        modules.append(parse_source(relpath, language, data))
    return modules, notes


def parse_source(relpath: str, language: str, data: bytes) -> SourceModule:
    tree = parsing.parse(language, data)
    lines = data.decode("utf-8", "replace").splitlines()
    if language == "python":
        return SourceModule(relpath, language, lower_python(tree, data, relpath), lines, tree, data)
    module, info = lower_javascript(tree, data, relpath)
    return SourceModule(relpath, language, module, lines, tree, data, info)
