"""Inputs benchmarks/fuzz/run.py found crashing a parser, kept as regressions (issue 14, point 9)."""

from __future__ import annotations

import pytest

from bastion.config_audit.engine import ConfigAuditEngine
from bastion.deps.packages import ReaderError
from bastion.deps.readers import reader_for
from bastion.core.engine_api import FileContext, SourceFile


@pytest.mark.parametrize("text", ["server { listen; }\n", "http { server { listen; ssl_protocols TLSv1; } }\n"])
def test_a_bare_listen_is_audited(text):
    """`listen;` with no address made the TLS check index an empty list (IndexError, an internal-error note)."""
    source = SourceFile("nginx.conf", "nginx.conf", None, text.encode())
    notes = [i for i in ConfigAuditEngine().check_file(FileContext(source, {})) if getattr(i, "reason", "") ==
             "internal-error"]
    assert not notes


def test_poetry_dependencies_as_an_array_are_ignored_not_a_crash():
    text = '[[package]]\nname = "a"\nversion = "1.0"\ndependencies = [{ name = "b" }]\n'
    deps = reader_for("poetry.lock")("poetry.lock", text, lambda path: "")
    assert [(d.name, d.version) for d in deps] == [("a", "1.0")]


@pytest.mark.parametrize("name", ["uv.lock", "poetry.lock", "pyproject.toml"])
def test_an_integer_of_thousands_of_digits_is_a_reader_error(name):
    with pytest.raises(ReaderError):
        reader_for(name)(name, "version = " + "9" * 5000 + "\n", lambda path: "")


def test_a_pipfile_with_odd_tables_leaves_the_lock_readable():
    lock = '{"default": {"flask": {"version": "==3.0.0"}}, "develop": {}}'
    pipfile = "packages = [1, 2]\n"
    deps = reader_for("Pipfile.lock")("Pipfile.lock", lock, lambda path: pipfile)
    assert [d.name for d in deps] == ["flask"]


def test_a_version_of_thousands_of_digits_in_package_json_is_no_pin():
    text = '{"dependencies": {"a": "' + "9" * 5000 + '.0.0", "b": "1.2.3"}}'
    deps = reader_for("package.json")("package.json", text, lambda path: "")
    assert {d.name: d.version for d in deps} == {"a": None, "b": "1.2.3"}
