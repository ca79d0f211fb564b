"""`[tool.bastion] taint-models`: a team's own sources and sinks, as data, reach the SAST engines."""

from __future__ import annotations

import bastion

APP = '''from flask import Flask, request
import internal_shell

app = Flask(__name__)


@app.route("/run")
def run():
    internal_shell.run_remote(request.args["cmd"])
    return "ok"
'''

MODEL = '''[[sink]]
call = "internal_shell.run_remote"
rule = "command-injection"
dynamic = "any"
note = "internal_shell.run_remote() runs a command on a build host"
'''


def test_team_model_adds_a_sink(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    (project / "app.py").write_text(APP)
    (project / "bastion.toml").write_text('taint-models = ["../models"]\n')
    (tmp_path / "models" / "python").mkdir(parents=True)
    assert bastion.scan(project, engines=["python"], use_cache=False).findings == []

    (tmp_path / "models" / "python" / "internal.toml").write_text(MODEL)
    report = bastion.scan(project, engines=["python"], use_cache=False)
    assert [(f.rule_id, f.location.line) for f in report.findings] == [("command-injection", 9)]


def test_cache_follows_model_edits(tmp_path):
    project = tmp_path / "project"
    (tmp_path / "models" / "python").mkdir(parents=True)
    project.mkdir()
    (project / "app.py").write_text(APP)
    (project / "bastion.toml").write_text('taint-models = ["../models"]\n')
    assert bastion.scan(project, engines=["python"]).findings == []
    (tmp_path / "models" / "python" / "internal.toml").write_text(MODEL)
    assert len(bastion.scan(project, engines=["python"]).findings) == 1
