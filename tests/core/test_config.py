"""Configuration files: found, validated, and wrong keys named."""

from __future__ import annotations

import pytest

from bastion.core.config import ConfigError, find_config_file, load_config, parse_config
from bastion.core.model import Severity


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


from hypothesis import given, settings, strategies as st  # noqa: E402

_VALUES = st.recursive(st.none() | st.booleans() | st.integers(-5, 5) | st.floats(allow_nan=True) | st.text(max_size=8),
                       lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=8), c, max_size=3),
                       max_leaves=10)


@given(st.dictionaries(st.sampled_from(["exclude", "fail-on", "jobs", "severity", "rules", "file-timeout", "probe",
                                        "engines", "min-confidence", "cache-dir", "x"]), _VALUES, max_size=4))
@settings(max_examples=200, deadline=None)
def test_any_table_is_accepted_or_named(table):
    try:
        parse_config(table, engine_names=["probe"])
    except ConfigError as exc:
        assert "'" in str(exc)
