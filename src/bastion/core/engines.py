"""The registry of engines: one line per engine, loaded on demand.

Adding an engine is a new folder under ``bastion/`` and one entry here.
Entries are import paths so that a worker process loads only what it runs.
"""

from __future__ import annotations

import importlib
from functools import lru_cache

from bastion.core.engine_api import Engine

#: engine name -> "module:Class". The name is also the engine's config section.
ENGINE_CLASSES: dict[str, str] = {
    "config_audit": "bastion.config_audit.engine:ConfigAuditEngine",
    "python": "bastion.sast.python.engine:PythonEngine",
    "javascript": "bastion.sast.javascript.engine:JavaScriptEngine",
    "secrets": "bastion.secrets.engine:SecretsEngine",
    "deps": "bastion.deps.engine:DepsEngine",
}


class UnknownEngine(KeyError):
    """Raised for an engine name that is not registered."""


@lru_cache(maxsize=None)
def load_engine(name: str) -> Engine:
    try:
        target = ENGINE_CLASSES[name]
    except KeyError:
        raise UnknownEngine(name) from None
    module_name, class_name = target.split(":")
    engine = getattr(importlib.import_module(module_name), class_name)()
    engine.name = name
    return engine


def all_engine_names() -> list[str]:
    return list(ENGINE_CLASSES)
