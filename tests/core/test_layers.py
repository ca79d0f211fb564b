"""The layers of src/bastion/ as docs/architecture.md states them, checked on the real imports.

A module-level or function-level import that crosses a layer the wrong way fails here, so the folder
tree a newcomer reads stays true.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "bastion"

#: layer -> the bastion subpackages its modules may import (besides itself and the package root).
ALLOWED = {
    "host": set(),
    "core": {"host"},
    "pipeline": {"core", "host"},
}
ENGINES = ("sast", "secrets", "deps", "config_audit")
#: The one deliberate exception: ``bastion.deps`` is both the engine package and the public ``bastion.deps()``
#: function, so the package forwards a call to the API (see its docstring).
CALLABLE_PACKAGE = Path("deps/__init__.py")


def _bastion_imports(path: Path) -> set[str]:
    """The second component of every ``bastion.X`` module this file imports, anywhere in the file."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            parts = node.module.split(".")
            if parts[0] == "bastion":
                found.update([parts[1]] if len(parts) > 1 else [alias.name for alias in node.names])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "bastion" and len(parts) > 1:
                    found.add(parts[1])
    return found - {"__version__"}


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_layer_imports_only_what_is_below_it(layer):
    offenders = {}
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        wrong = _bastion_imports(path) - ALLOWED[layer] - {layer}
        if wrong:
            offenders[str(path.relative_to(PACKAGE))] = sorted(wrong)
    assert offenders == {}


@pytest.mark.parametrize("engine", ENGINES)
def test_engines_never_import_the_faces_or_each_other(engine):
    forbidden = {"interfaces", "report"} | (set(ENGINES) - {engine, "secrets"})
    offenders = {}
    for path in sorted((PACKAGE / engine).rglob("*.py")):
        wrong = _bastion_imports(path) & forbidden
        if wrong and path.relative_to(PACKAGE) != CALLABLE_PACKAGE:
            offenders[str(path.relative_to(PACKAGE))] = sorted(wrong)
    assert offenders == {}


def test_the_checker_sees_a_wrong_way_import(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from bastion.interfaces.api import scan\n    from bastion import pipeline\n")
    assert _bastion_imports(module) == {"interfaces", "pipeline"}
