"""The shared taint core stays language-neutral (issue 12, point 6).

What one language means (its import rules, its path and text operators, its
``undefined``, its naming conventions, its libraries) lives in the frontends'
semantics and their :class:`~bastion.sast.language_facts.LanguageFacts`, or in
the models. This test reads the code of the core modules (docstrings and type
annotations aside: examples there are documentation) and fails when one names a
language's own identifier again, the way tests/core/test_layers.py checks imports.
"""

import ast
import re
from pathlib import Path

import pytest

SAST = Path(__file__).resolve().parents[2] / "src" / "bastion" / "sast"
CORE = ("taint", "guards", "containers", "summaries", "crossmodule", "project_facts", "url_shapes", "language_facts")

#: Words no string of the core may contain: language and library names, a language's own identifiers and
#: keywords (the core reads IR names, never ``self``, ``this``, ``require`` or ``undefined``), dunder names.
FORBIDDEN_WORDS = frozenset({
    "python", "javascript", "typescript", "node", "pathlib", "posixpath", "ntpath", "os", "sys", "flask", "django",
    "fastapi", "werkzeug", "express", "koa", "sqlalchemy", "configparser", "subprocess", "requests", "axios",
    "self", "cls", "this", "require", "exports", "undefined", "null", "prototype", "window", "document",
    "globalThis", "process", "argv", "URL", "isinstance", "typeof", "instanceof", "str", "int", "len", "repr",
    "bytes", "staticmethod", "classmethod", "property", "lambda", "async", "await", "yield",
})  # fmt: skip
#: Names no code of the core may use: conventions of one language's programmers and its libraries.
FORBIDDEN_NAMES = frozenset({"isupper", "islower", "istitle", "pathlib", "posixpath", "os", "sys", "flask", "re"})
_DUNDER = re.compile(r"^__\w+__$")


def _annotation_nodes(tree: ast.AST) -> set[int]:
    """Every node inside a type annotation (quoted annotations are strings, not language facts)."""
    found: set[int] = set()
    for node in ast.walk(tree):
        roots = []
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            roots.append(node.returns)
            roots.extend(a.annotation for a in (*node.args.args, *node.args.kwonlyargs, *node.args.posonlyargs,
                                                node.args.vararg, node.args.kwarg) if a is not None)
        elif isinstance(node, ast.AnnAssign):
            roots.append(node.annotation)
        for root in roots:
            if root is not None:
                found.update(id(n) for n in ast.walk(root))
    return found


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def language_names(source: str) -> list[str]:
    """The language-specific words in a module's strings and the forbidden names its code uses."""
    tree = ast.parse(source)
    skip = _annotation_nodes(tree) | _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            words = re.findall(r"[A-Za-z_][A-Za-z0-9_]*", node.value)
            found += [f"string {node.value!r}" for w in words if w in FORBIDDEN_WORDS or _DUNDER.match(w)]
        elif isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_NAMES:
            found.append(f"attribute .{node.attr}")
        elif isinstance(node, ast.Name) and node.id in FORBIDDEN_NAMES:
            found.append(f"name {node.id}")
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            found += [f"import {m}" for m in modules if m.split(".")[0] in FORBIDDEN_NAMES]
    return found


@pytest.mark.parametrize("module", CORE)
def test_core_module_names_no_language(module):
    assert language_names((SAST / f"{module}.py").read_text(encoding="utf-8")) == []


def test_the_checker_sees_language_names():
    source = '''
"""Docstrings may say ``import a.b`` binds ``a`` in Python."""
def f(expr: "pathlib.Path | None", name):
    if expr.id == "undefined" or name.isupper():
        return "require:" + "__init__"
'''
    assert language_names(source) == ["string 'undefined'", "attribute .isupper", "string 'require:'", "string '__init__'"]


def test_the_core_still_reads_each_language_through_its_facts():
    """The facts the checker pushed out of the core are given by the frontends, not dropped."""
    from bastion.sast.javascript.semantics import JsHooks
    from bastion.sast.python.semantics import PythonHooks

    python, javascript = PythonHooks.facts, JsHooks.facts
    assert python.import_binds_package and not javascript.import_binds_package
    assert python.path_join_operator == "/" and javascript.path_join_operator is None
    assert "undefined" in javascript.nothing_names and "URL" in javascript.url_constructors
    assert python.truth([]) is False and javascript.truth([]) is True
    assert python.constant_name("ALLOWED_HOSTS") and javascript.constant_name("ALLOWED_ORIGINS")
