"""Helpers for the SAST tests: run the Python engine on a string or a file, without the runner."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from bastion.core.engine_api import FileContext, SourceFile
from bastion.core.model import Finding
from bastion.sast.python.engine import PythonEngine

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "python"


def scan_source(code: str, path: str = "app.py", options: dict | None = None) -> list[Finding]:
    data = textwrap.dedent(code).encode()
    file = SourceFile(path=path, abspath=path, language="python", data=data)
    return [f for f in PythonEngine().check_file(FileContext(file, options or {})) if isinstance(f, Finding)]


@pytest.fixture
def scan():
    return scan_source
