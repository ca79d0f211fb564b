"""JavaScript inputs below request data: another service's HTTP response and a file's contents, each with its trust."""

from __future__ import annotations

import bastion
from bastion.core.config import Config
from tests.project_support import scan_project, write

JOBS = """\
    const fs = require('fs');
    const axios = require('axios');
    const { execSync } = require('child_process');

    async function runNext() {
      const r = await axios.get('https://jobs.example.net/next');
      execSync(r.data.command);
    }

    function runHook() {
      execSync(fs.readFileSync('/etc/app/hook.sh', 'utf8'));
    }

    async function plugin() {
      const resp = await fetch('https://cdn.example.net/p.js');
      return eval(await resp.text());
    }

    module.exports = { runNext, runHook, plugin };
"""


def test_responses_and_files_are_sources_with_their_own_confidence_and_origin(tmp_path):
    root = tmp_path / "project"
    write(root, {"jobs.js": JOBS})
    report = scan_project(root, tmp_path, "javascript")
    found = {(f.rule_id, f.location.line, f.confidence.value, f.trace[0].note) for f in report.findings
             if f.rule_id in ("command-injection", "code-injection")}
    assert found == {
        ("command-injection", 7, "medium", "input from another service's HTTP response (axios)"),
        ("command-injection", 11, "low", "input from a file's contents (fs.readFileSync)"),
        ("code-injection", 16, "medium", "input from another service's HTTP response (fetch)"),
    }
    config = Config(cache_dir=str(tmp_path / "cache"), fail_on=None)
    filtered = bastion.scan(root, config=config, engines=["javascript"], jobs=1, min_confidence="medium")
    assert sorted(f.location.line for f in filtered.findings if f.rule_id == "command-injection") == [7]
