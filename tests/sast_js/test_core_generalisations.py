"""The shared core's generalisations, seen through the JavaScript engine: guards, local methods, code sinks in summaries."""

from __future__ import annotations

from pathlib import Path

import pytest

from bastion.core.config import ConfigError
from bastion.sast.models import ModelError, load_models

from .test_javascript_engine import check

REDIRECT = """
const express = require('express');
const app = express();
app.get('/next', (req, res) => {
  const target = req.query.next;
  if (target.startsWith('https://example.com/')) {
    res.redirect(target);
  }
});
"""


def _rules(findings) -> list[tuple[str, int]]:
    return sorted((f.rule_id, f.location.line) for f in findings if hasattr(f, "rule_id"))


def test_a_user_guard_adds_to_the_built_in_one_for_the_same_method(tmp_path: Path) -> None:
    assert ("open-redirect", 7) in _rules(check(REDIRECT))
    (tmp_path / "redirects.toml").write_text('guard = [{ method = "startsWith", clears = ["open-redirect"] }]\n')
    assert ("open-redirect", 7) not in _rules(check(REDIRECT, options={"models": [str(tmp_path)]}))
    models = load_models("javascript", [tmp_path])
    assert [spec.requires for spec in models.method_guards["startsWith"]] == ["normalized", None]


def test_regex_guard_pattern_must_be_an_index_or_receiver(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text('guard = [{ method = "test", pattern = "argument" }]\n')
    with pytest.raises(ModelError, match="pattern"):
        load_models("javascript", [tmp_path])
    with pytest.raises(ConfigError, match="pattern"):
        check(REDIRECT, options={"models": [str(tmp_path)]})


def test_regex_guard_needs_both_anchors() -> None:
    template = """
const express = require('express');
const { exec } = require('child_process');
const app = express();
app.get('/run', (req, res) => {
  const name = req.query.name;
  if (PATTERN.test(name)) {
    exec('ls ' + name);
  }
});
"""
    assert ("command-injection", 8) not in _rules(check(template.replace("PATTERN", "/^[a-z]+$/")))
    assert ("command-injection", 8) in _rules(check(template.replace("PATTERN", "/^[a-z]+/")))
    assert ("command-injection", 8) not in _rules(check(template.replace("PATTERN", "new RegExp('^\\\\w+$')")))


def test_method_models_skip_methods_of_the_file_but_not_library_ones() -> None:
    source = """
const express = require('express');
const User = require('./models/user');
const app = express();
class Cache {
  findOne(key) { return key.length; }
}
const cache = new Cache();
app.get('/u', async (req, res) => {
  cache.findOne(req.query.filter);
  await User.findOne(req.query.filter);
  res.send('ok');
});
"""
    assert [line for rule, line in _rules(check(source)) if rule == "nosql-injection"] == [11]


def test_sinks_implemented_as_checks_enter_summaries() -> None:
    source = """
const express = require('express');
const app = express();
function render(res, html) {
  res.send('<p>' + html + '</p>');
}
function page(res, text) {
  render(res, text);
}
app.get('/hello', (req, res) => {
  page(res, req.query.name);
});
"""
    findings = [f for f in check(source) if getattr(f, "rule_id", "") == "xss"]
    assert [f.location.line for f in findings] == [5]
    assert "passed in by page()" in findings[0].message


def test_store_event_sees_keys_one_level_up() -> None:
    source = """
const express = require('express');
const app = express();
app.post('/settings', (req, res) => {
  const settings = {};
  settings[req.body.section][req.body.key] = 1;
  settings.fixed = req.body.value;
  res.json(settings);
});
"""
    assert [line for rule, line in _rules(check(source)) if rule == "prototype-pollution"] == [6]
