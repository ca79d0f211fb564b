"""Which build of the SAST hot path is running: compiled by mypyc, or pure Python.

The modules listed here are the ones ``BASTION_COMPILE=mypyc`` compiles (setup.py reads this list from this
file, which therefore imports nothing of bastion). Both builds find the same things; they differ in speed only,
so a benchmark or a bug report must say which one ran: ``bastion --version`` prints :func:`build_name`.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util

#: The IR, the taint core and each language's frontend and hooks, compiled together so that no interpreted class
#: subclasses a compiled one. The checks stay interpreted: the hooks call them as plain functions.
COMPILED_MODULES = (
    "bastion.sast.ir",
    "bastion.sast.taint",
    "bastion.sast.python.frontend",
    "bastion.sast.python.semantics",
    "bastion.sast.javascript.frontend",
    "bastion.sast.javascript.semantics",
)


def compiled_modules() -> list[str]:
    """The modules of :data:`COMPILED_MODULES` that Python loads from a compiled extension (found, not imported)."""
    suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
    found = []
    for name in COMPILED_MODULES:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin is not None and spec.origin.endswith(suffixes):
            found.append(name)
    return found


def build_name() -> str:
    """"compiled with mypyc", "pure Python", or "partly compiled (N of M modules)" for a broken install."""
    compiled = compiled_modules()
    if not compiled:
        return "pure Python"
    if len(compiled) == len(COMPILED_MODULES):
        return "compiled with mypyc"
    return f"partly compiled ({len(compiled)} of {len(COMPILED_MODULES)} modules)"
