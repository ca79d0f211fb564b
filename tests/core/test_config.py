"""Configuration files: found, validated, and wrong keys named."""

from __future__ import annotations

import pytest

from bastion.config import ConfigError, find_config_file, load_config, parse_config
from bastion.model import Severity


def test_pyproject_table_is_found_and_read(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text(
        '[tool.bastion]\nexclude = ["gen/"]\nfail-on = "high"\nseverity = { sql-injection = "critical" }\n'
        '[tool.bastion.probe]\nanything = 1\n')
    (tmp_path / "pkg").mkdir()
    path = find_config_file(tmp_path / "pkg")
    assert path == tmp_path / "pyproject.toml"
    config = parse_config({"exclude": ["gen/"], "fail-on": "high", "probe": {"anything": 1}}, engine_names=["probe"])
    assert config.exclude == ["gen/"] and config.fail_on is Severity.HIGH
    assert config.engine_options == {"probe": {"anything": 1}}


@pytest.mark.parametrize("table, message", [
    ({"exclud": ["x"]}, "unknown key 'exclud'"),
    ({"fail-on": "severe"}, "'fail-on': unknown severity 'severe'"),
    ({"jobs": -1}, "'jobs' must be a non-negative integer"),
    ({"exclude": "gen/"}, "'exclude' must be a list of strings"),
    ({"engines": ["nope"]}, "unknown engine 'nope'"),
    ({"severity": {"x": "loud"}}, "'severity.x': unknown severity 'loud'"),
    ({"probe": 3}, "'probe' must be a table"),
])
def test_wrong_keys_and_values_are_named(table, message):
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_config(table, source="bastion.toml", engine_names=["probe"])


def test_broken_toml_is_a_clear_error(tmp_path):
    path = tmp_path / "bastion.toml"
    path.write_text("exclude = [\n")
    with pytest.raises(ConfigError, match="is not valid TOML"):
        load_config(path)
