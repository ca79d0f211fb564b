"""The command line: exit codes, outputs, and the commands around scan."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bastion.interfaces.cli import main


@pytest.fixture
def project(tmp_path, probe_engines, monkeypatch):
    (tmp_path / "app.py").write_text("x = 1\nDANGER = 2\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_findings_exit_1_and_fail_on_never_exit_0(project, capsys):
    assert main(["scan", ".", "--no-cache"]) == 1
    assert "app.py" in capsys.readouterr().out
    assert main(["scan", ".", "--no-cache", "--fail-on", "never"]) == 0
    assert main(["scan", ".", "--no-cache", "--fail-on", "critical"]) == 0


def test_several_formats_in_one_run(project, capsys):
    code = main(["scan", ".", "--no-cache", "--format", "json", "--output", "r.json", "--format", "sarif",
                 "--output", "r.sarif", "--format", "text"])
    assert code == 1
    data = json.loads(Path("r.json").read_text())
    assert [f["rule_id"] for f in data["findings"]] == ["marker"]
    sarif = json.loads(Path("r.sarif").read_text())
    assert sarif["runs"][0]["results"][0]["ruleId"] == "marker"
    assert "marker" in capsys.readouterr().out
    assert main(["scan", ".", "--no-cache", "--output", "implied.sarif"]) == 1
    assert json.loads(Path("implied.sarif").read_text())["version"] == "2.1.0"


@pytest.mark.parametrize("argv, message", [
    (["scan", "missing-dir"], "path does not exist"),
    (["scan", ".", "--format", "yaml"], "unknown format 'yaml'"),
    (["scan", "-"], "needs --stdin-filename"),
    (["scan", ".", "--output", "report.bin"], "cannot tell the format"),
    (["scan", ".", "--dry-run"], "--dry-run goes with --fix"),
    (["rules", "show", "no-such-rule"], "no rule 'no-such-rule'"),
])
def test_usage_errors_exit_2_without_traceback(project, capsys, argv, message):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_bad_config_is_named(project, capsys):
    Path("bastion.toml").write_text("exclud = []\n")
    assert main(["scan", ".", "--no-cache"]) == 2
    assert "unknown key 'exclud'" in capsys.readouterr().err


def test_stdin(project, capsys, monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"DANGER\n")))
    assert main(["scan", "-", "--stdin-filename", "buffer.py", "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out)["findings"][0]["location"]["path"] == "buffer.py"


def test_baseline_then_clean(project, capsys):
    assert main(["baseline", ".", "--no-cache", "-o", "base.json"]) == 0
    assert main(["scan", ".", "--no-cache", "--baseline", "base.json"]) == 0


def test_fix_dry_run_then_write(project, capsys):
    assert main(["scan", ".", "--no-cache", "--fix", "--dry-run"]) == 0
    diff = capsys.readouterr().out
    assert "-DANGER = 2" in diff and "+SAFE = 2" in diff
    assert Path("app.py").read_text() == "x = 1\nDANGER = 2\n"
    main(["scan", ".", "--no-cache", "--fix", "--quiet"])
    assert Path("app.py").read_text() == "x = 1\nSAFE = 2\n"


def test_rules_list_filters_and_show(project, capsys):
    assert main(["rules", "--engine", "probe", "--json"]) == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == ["marker"]
    assert main(["rules", "--cwe", "CWE-89", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["rules", "show", "marker"]) == 0
    out = capsys.readouterr().out
    assert "### Vulnerable" in out and "### Fixed" in out


def test_init_writes_and_never_overwrites(tmp_path, capsys):
    precommit = tmp_path / ".pre-commit-config.yaml"
    precommit.write_text("repos:\n  - repo: https://github.com/psf/black\n    rev: 24.1.0\n    hooks:\n      - id: black\n")
    source = ["--source", "https://github.com/example/bastion@0123456789abcdef"]
    assert main(["init", "--root", str(tmp_path), *source]) == 0
    workflow = tmp_path / ".github/workflows/bastion.yml"
    assert "upload-sarif" in workflow.read_text() and "--fail-on high" in workflow.read_text()
    text = precommit.read_text()
    assert "id: black" in text and "id: bastion" in text
    workflow.write_text("# mine\n")
    assert main(["init", "--root", str(tmp_path), *source]) == 0
    assert workflow.read_text() == "# mine\n"
    assert precommit.read_text().count("id: bastion") == 1
    import yaml

    assert yaml.safe_load(precommit.read_text())["repos"][1]["hooks"][0]["id"] == "bastion"


def test_bad_engine_option_is_a_config_error_before_any_file(tmp_path, capsys):
    """A wrong option fails the scan once, naming the key, instead of a note on every file."""
    (tmp_path / "pyproject.toml").write_text('[tool.bastion.secrets]\nentropy_threshold = "x"\n')
    (tmp_path / "a.py").write_text("a = 1\n")
    assert main(["scan", str(tmp_path), "--engine", "secrets", "--no-cache"]) == 2
    assert "secrets.entropy_threshold must be a number" in capsys.readouterr().err


def test_output_dash_is_standard_output(tmp_path, capsys):
    (tmp_path / "a.py").write_text("x = 1\n")
    sarif = tmp_path / "out.sarif"
    code = main(["scan", str(tmp_path), "--no-cache", "--no-progress", "--engine", "secrets",
                 "-f", "json", "-f", "sarif", "-o", "-", "-o", str(sarif)])
    assert code == 0 and not (tmp_path / "-").exists() and not Path("-").exists()
    assert json.loads(capsys.readouterr().out)["findings"] == [] and json.loads(sarif.read_text())["runs"]
    assert main(["scan", str(tmp_path), "--no-cache", "--no-progress", "--engine", "secrets", "-o", "-"]) == 0
    assert "No findings" in capsys.readouterr().out
