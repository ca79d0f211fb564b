"""Constant folding and string building never allocate without bound (issue 14, point 4).

Each program builds a string sized by a constant far larger than any file,
then sends user input with it into a command. The scan runs in this process
(one file: no pool) under a small per-file memory budget: if a fold
allocated the string, the budget would end the file's analysis with a note
and the flow would be lost. So the finding and the absence of a budget note
prove the fold was refused.
"""

from __future__ import annotations

import pytest

import bastion
from bastion.core.config import Config

PYTHON = [
    'x = "{0:{1}}".format("a", 2000000000)',
    'x = "{0:>{w}}".format("a", w=2000000000)',
    'x = "{:{}}".format("a", 2000000000)',
    'x = "x" * 10**10',
    'x = 10**10 * "x"',
    'x = "%*s" % (2000000000, "a")',
    'x = "%2000000000s" % "a"',
    'x = "-".join(["ab" * 10000] * 10000)',
    'x = "ab".center(2000000000)',
    'x = ("ab" * 10000).replace("a", "b" * 10000)',
]
JAVASCRIPT = [
    'const x = "x".repeat(1e10);',
    'const x = "y".padStart(1e10, "z");',
    'const x = "y".padEnd(5e9);',
    'const x = Array(1e10).join("x");',
    'const x = new Array(1e8 + 1).join("x");',
    'const x = `${"q".repeat(2 ** 40)}`;',
]


def _scan(tmp_path, name: str, text: str):
    (tmp_path / name).write_text(text)
    config = Config(file_memory_mb=256, file_timeout=60.0, fail_on=None)
    return bastion.scan(tmp_path, config=config, use_cache=False)


@pytest.mark.parametrize("build", PYTHON)
def test_python_folds_are_bounded(tmp_path, build):
    report = _scan(tmp_path, "app.py", f"import os\n{build}\nos.system(input() + x)\n")
    assert not [n.message for n in report.notes if "budget" in n.message]
    assert [f.rule_id for f in report.findings] == ["command-injection"]


@pytest.mark.parametrize("build", JAVASCRIPT)
def test_javascript_string_building_is_bounded(tmp_path, build):
    report = _scan(tmp_path, "app.js", f'{build}\nrequire("child_process").exec(process.argv[2] + x);\n')
    assert not [n.message for n in report.notes if "budget" in n.message]
    assert [f.rule_id for f in report.findings] == ["command-injection"]
