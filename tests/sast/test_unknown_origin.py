"""Input of unknown origin and trust levels, end to end through the runner (project pass included)."""

from __future__ import annotations

import bastion
from bastion.core.config import Config
from tests.project_support import scan_project, write

HELPER = """\
    import subprocess

    def run_tool(name):
        subprocess.run("tool " + name, shell=True)
"""

SCRIPT = """\
    import os
    import sys

    os.system("ping " + sys.argv[1])
    os.system("ls " + os.environ["BACKUP_DIR"])
"""


def commands(report, path):
    return [f for f in report.findings if f.rule_id == "command-injection" and f.location.path == path]


def test_an_uncalled_helper_is_reported_at_medium_confidence_saying_the_caller_is_unknown(tmp_path):
    root = tmp_path / "project"
    write(root, {"tools/helper.py": HELPER})
    [finding] = commands(scan_project(root, tmp_path, "python"), "tools/helper.py")
    assert finding.confidence.value == "medium" and finding.location.line == 4
    assert "caller unknown" in finding.message
    assert finding.trace[0].kind == "source" and "no caller in the scanned code" in finding.trace[0].note


def test_a_helper_another_file_calls_with_a_constant_is_not_reported(tmp_path):
    root = tmp_path / "project"
    caller = "from tools.helper import run_tool\n\nrun_tool('--version')\n"
    write(root, {"tools/__init__.py": "", "tools/helper.py": HELPER, "tools/cli.py": caller})
    report = scan_project(root, tmp_path, "python")
    assert commands(report, "tools/helper.py") == [] and commands(report, "tools/cli.py") == []


def test_a_helper_another_file_calls_with_request_data_is_reported_from_the_request(tmp_path):
    root = tmp_path / "project"
    views = """\
        from flask import request
        from tools.helper import run_tool

        def view():
            return run_tool(request.args["tool"])
    """
    write(root, {"tools/__init__.py": "", "tools/helper.py": HELPER, "tools/views.py": views})
    report = scan_project(root, tmp_path, "python")
    assert commands(report, "tools/helper.py") == []
    [finding] = commands(report, "tools/views.py")
    assert finding.confidence.value == "high" and "request" in finding.trace[0].note


def test_javascript_helper_called_from_another_module_is_judged_at_the_call(tmp_path):
    root = tmp_path / "project"
    helper = "const { exec } = require('child_process');\nfunction runTool(name) {\n  exec('tool ' + name);\n}\nmodule.exports = { runTool };\n"
    write(root, {"lib/helper.js": helper})
    [alone] = commands(scan_project(root, tmp_path, "javascript"), "lib/helper.js")
    assert alone.confidence.value == "medium" and "caller unknown" in alone.message
    write(root, {"lib/main.js": "const { runTool } = require('./helper');\nrunTool('--version');\n"})
    report = scan_project(root, tmp_path, "javascript")
    assert commands(report, "lib/helper.js") == [] and commands(report, "lib/main.js") == []


def test_confidence_follows_trust_and_min_confidence_filters(tmp_path):
    root = tmp_path / "project"
    write(root, {"script.py": SCRIPT})
    report = scan_project(root, tmp_path, "python")
    found = {(f.location.line, f.confidence.value, f.trace[0].note) for f in commands(report, "script.py")}
    assert found == {(4, "medium", "untrusted data from the command line (sys.argv)"),
                     (5, "low", "input from the environment (os.environ)")}
    config = Config(cache_dir=str(tmp_path / "cache"), fail_on=None)
    filtered = bastion.scan(root, config=config, engines=["python"], jobs=1, min_confidence="medium")
    assert [f.location.line for f in commands(filtered, "script.py")] == [4]


def test_a_method_of_an_instance_of_another_modules_class_is_followed(tmp_path):
    root = tmp_path / "project"
    repo = """\
        import sqlite3

        class UserRepository:
            def __init__(self, path):
                self.conn = sqlite3.connect(path)

            def find(self, name):
                return self.conn.execute(f"SELECT * FROM users WHERE name = '{name}'").fetchall()
    """
    views = """\
        from flask import request
        from app.repo import UserRepository

        repository = UserRepository("app.db")

        def view():
            return repository.find(request.args["name"])
    """
    write(root, {"app/__init__.py": "", "app/repo.py": repo, "app/views.py": views})
    report = scan_project(root, tmp_path, "python")
    [finding] = [f for f in report.findings if f.rule_id == "sql-injection"]
    assert (finding.location.path, finding.location.line) == ("app/views.py", 7)
    assert finding.trace[-1].location.path == "app/repo.py" and finding.trace[-1].location.line == 8
