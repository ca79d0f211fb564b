"""benchmarks/fuzz/run.py keeps working: every target loads its seeds, accepts them, and runs a few mutations.

The driver's counts are only worth something while each target still reaches
its parser: the OSV target once refused every input (the importer had begun
yielding pairs) and reported 100,000 "refused" as if all were fine.
"""

from __future__ import annotations

import importlib.util
import signal
import sys
from pathlib import Path

import pytest

DRIVER = Path(__file__).resolve().parents[2] / "benchmarks" / "fuzz" / "run.py"


@pytest.fixture(scope="module")
def driver():
    spec = importlib.util.spec_from_file_location("fuzz_driver", DRIVER)
    module = importlib.util.module_from_spec(spec)
    sys.modules["fuzz_driver"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    previous = signal.signal(signal.SIGPROF, module._on_alarm)
    yield module
    signal.signal(signal.SIGPROF, previous)


@pytest.mark.parametrize("name", ["lockfiles", "config", "baseline", "osv", "dockerfile", "nginx", "yaml", "python",
                                  "javascript"])
def test_each_target_accepts_its_seeds_and_survives_mutations(driver, name):
    target = driver.TARGETS[name]()
    result = driver.fuzz(target, len(target.seeds) + 20, seed=11, hang_seconds=60, save=None)
    assert result["seeds_refused"] == 0, result
    assert not {"crash", "hang", "memory"} & set(result["outcomes"]), result["examples"]


def test_every_parser_of_untrusted_input_has_a_target(driver):
    assert set(driver.TARGETS) == {"lockfiles", "config", "baseline", "osv", "dockerfile", "nginx", "yaml", "python",
                                   "javascript"}
    readers = {name for name, _ in driver._lockfiles().seeds}
    assert {"requirements.txt", "constraints.txt", "pyproject.toml", "package.json", "package-lock.json",
            "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "poetry.lock", "uv.lock", "pdm.lock", "pylock.toml",
            "Pipfile.lock"} <= readers
