"""Bad configuration and baseline files found by fuzzing the CLI: each ends in a clear message and exit 2,
never an "internal error" (issue 14, point 8). Every case goes through `bastion scan`."""

from __future__ import annotations

import pytest

from bastion.interfaces.cli import main

CONFIGS = {
    "tool-not-a-table": ("bastion.toml", b"tool = 5\n", "'tool' in"),
    "tool-bastion-not-a-table": ("pyproject.toml", b"[tool]\nbastion = 5\n", "[tool.bastion] in"),
    "pyproject-tool-a-string": ("pyproject.toml", b'tool = "x"\n', "'tool' in"),
    "not-utf-8": ("bastion.toml", b'fail-on = "h\xe9"\n', "is not UTF-8 text"),
    "nested-3000-deep": ("bastion.toml", b"x = " + b"[" * 3000 + b"]" * 3000 + b"\n", "nests tables or arrays"),
    "nested-tables": ("bastion.toml", b"x = " + b"{a = " * 3000 + b"1" + b"}" * 3000 + b"\n", "nests tables"),
    "huge": ("bastion.toml", b"# " + b"x" * (2 * 1024 * 1024) + b"\n", "not a configuration file"),
    # found by benchmarks/fuzz/run.py: numbers no float, repr or timer can hold
    "integer-of-5000-digits": ("bastion.toml", b"jobs = " + b"9" * 5000 + b"\n", "is not valid TOML"),
    "integer-of-4000-digits": ("bastion.toml", b"jobs = " + b"9" * 4000 + b"\n", "must be a non-negative integer"),
    "timeout-past-a-float": ("bastion.toml", b"file-timeout = " + b"9" * 400 + b"\n", "must be a positive number"),
    "bad-list-of-a-huge-integer": ("bastion.toml", b"exclude = " + b"9" * 4000 + b"\n", "must be a list of strings, got 9999"),
}


@pytest.mark.parametrize("case", sorted(CONFIGS))
def test_bad_config_files_get_a_clear_error(tmp_path, monkeypatch, capsys, case):
    name, data, message = CONFIGS[case]
    (tmp_path / name).write_bytes(data)
    (tmp_path / "app.py").write_text("x = 1\n")
    monkeypatch.chdir(tmp_path)
    assert main(["scan", ".", "--no-cache", "--engine", "python"]) == 2
    err = capsys.readouterr().err
    assert message in err and "internal error" not in err


@pytest.mark.parametrize("text", [
    "[" * 100_000 + "]" * 100_000,
    '{"findings": ' + "[" * 50_000 + "]" * 50_000 + "}",
])
def test_a_deeply_nested_baseline_gets_a_clear_error(tmp_path, monkeypatch, capsys, text):
    (tmp_path / "base.json").write_text(text)
    (tmp_path / "app.py").write_text("x = 1\n")
    monkeypatch.chdir(tmp_path)
    assert main(["scan", ".", "--no-cache", "--engine", "python", "--baseline", "base.json"]) == 2
    err = capsys.readouterr().err
    assert "nests arrays or objects too deeply" in err and "internal error" not in err
