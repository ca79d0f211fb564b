"""The same input gives byte-identical findings from run to run, whatever the interpreter's hash seed.

Users diff reports, baselines fingerprint findings and the cache compares them: a trace that changes between
runs is a changed finding. The taint core keeps labels in frozensets, whose iteration order depends on
``PYTHONHASHSEED``; a sink reports the first label in a sort order, so that order must be total. The fixture is
calibre-web's ``remote_login`` shape (``cps/remotelogin.py``): ``auth_token`` and ``auth_token.auth_token``
both hold a secret by name, start at the same column, and differ only by their end. Before the order compared
ends, seeds 0 and 1 reported different source spans.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

_APP = textwrap.dedent('''\
    import logging

    log = logging.getLogger(__name__)


    def remote_login(session):
        auth_token = session.new_token()
        log.debug("Remote login request with token: %s", auth_token.auth_token)
    ''')


def _scan(project: Path, out: Path, seed: int) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    done = subprocess.run([sys.executable, "-m", "bastion", "scan", str(project), "--engine", "python", "-j", "1",
                           "--no-cache", "-f", "json", "-o", str(out)], env=env, capture_output=True, timeout=300)
    assert done.returncode in (0, 1), done.stderr.decode()  # 1: findings reported
    return out.read_bytes()


@pytest.mark.parametrize("seeds", [(0, 1, 4)])
def test_findings_do_not_depend_on_the_hash_seed(tmp_path: Path, seeds: tuple[int, ...]) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "app.py").write_text(_APP)
    outputs = {seed: _scan(project, tmp_path / f"out-{seed}.json", seed) for seed in seeds}
    assert b"sensitive-data-logged" in outputs[seeds[0]]  # the finding whose trace used to flip
    first = outputs[seeds[0]]
    assert all(output == first for output in outputs.values()), {s: o.decode() for s, o in outputs.items() if o != first}
