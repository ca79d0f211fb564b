from __future__ import annotations

import pytest

from bastion.core import engines, rules


@pytest.fixture
def probe_engines(monkeypatch):
    """Register the probe engines in place of the real ones for one test."""
    monkeypatch.setattr(engines, "ENGINE_CLASSES", {
        "probe": "tests.core.probe_engines:MarkerEngine",
        "probe_ws": "tests.core.probe_engines:CountingWorkspaceEngine",
        "probe_project": "tests.core.probe_engines:ImportingEngine",
    })
    monkeypatch.setattr(rules, "RUNTIME_RULE_SOURCES", ())
    engines.load_engine.cache_clear()
    rules._registry.cache_clear()
    yield
    engines.load_engine.cache_clear()
    rules._registry.cache_clear()
