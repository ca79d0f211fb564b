"""Stack resolution (task text, arguments, repository) and the assistant instruction files."""

from __future__ import annotations

import json
import os

import pytest

from bastion.prompt import harden_prompt, write_assistant_files
from bastion.prompt.assistant import BEGIN, END
from bastion.prompt.stack import profile_repository


def _node_project(root):
    (root / "package.json").write_text(json.dumps({"dependencies": {"express": "^4", "pg": "^8"}}), "utf-8")
    (root / "src").mkdir()
    (root / "src" / "app.js").write_text("", "utf-8")
    (root / "node_modules" / "x").mkdir(parents=True)
    (root / "node_modules" / "x" / "package.json").write_text('{"dependencies": {"django": "1"}}', "utf-8")
    return root


def test_repository_profile(tmp_path):
    profile = profile_repository(_node_project(tmp_path))
    assert profile.languages == ["javascript"]
    assert {"express", "pg"} <= profile.packages and "django" not in profile.packages


def test_python_manifests(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\ndependencies = ["Flask>=3", "psycopg[binary]"]\n', "utf-8")
    (tmp_path / "requirements-dev.txt").write_text("# tools\nSQLAlchemy==2.0\n-r base.txt\n", "utf-8")
    (tmp_path / "app.py").write_text("", "utf-8")
    profile = profile_repository(tmp_path)
    assert {"flask", "psycopg", "sqlalchemy"} <= profile.packages
    hardened = harden_prompt("get an order by its id", root=tmp_path)
    assert hardened.stack.languages == ["python"] and "sqlalchemy" in hardened.stack.libraries
    assert "conn.execute(" in hardened.render("text")  # the first matching library pattern (psycopg)


def test_repository_stack_is_used_when_the_task_names_none(tmp_path):
    hardened = harden_prompt("write an endpoint that fetches a user by their id", root=_node_project(tmp_path))
    assert hardened.stack.frameworks == ["express"] and hardened.stack.libraries == ["pg"]
    assert any("repository" in a for a in hardened.stack.assumptions)


def test_task_beats_repository_and_arguments_beat_task(tmp_path):
    root = _node_project(tmp_path)
    assert harden_prompt("a Django view listing orders", root=root).stack.languages == ["python"]
    forced = harden_prompt("a Django view listing orders", language="js", framework="express")
    assert forced.stack.languages == ["javascript"] and forced.stack.frameworks == ["express"]
    with pytest.raises(ValueError, match="unknown language"):
        harden_prompt("x", language="cobol")
    with pytest.raises(ValueError, match="unknown framework"):
        harden_prompt("x", framework="rails")


def test_malformed_manifests_are_ignored(tmp_path):
    (tmp_path / "package.json").write_text("{not json", "utf-8")
    (tmp_path / "pyproject.toml").write_text("[project\n", "utf-8")
    assert profile_repository(tmp_path).packages == set()


def test_assistant_files_merge_and_are_idempotent(tmp_path):
    root = _node_project(tmp_path)
    (root / "AGENTS.md").write_text("# Our rules\n\nUse tabs.\n", "utf-8")
    written = write_assistant_files(root)
    assert set(written) == {"AGENTS.md", "CLAUDE.md", ".github/copilot-instructions.md",
                            ".cursor/rules/bastion-security.mdc"}
    agents = (root / "AGENTS.md").read_text("utf-8")
    assert agents.startswith("# Our rules\n\nUse tabs.\n") and BEGIN in agents and END in agents
    assert "Express" in agents and "bastion scan" in agents
    assert write_assistant_files(root) == []
    (root / "AGENTS.md").write_text(agents.replace("Use tabs.", "Use spaces."), "utf-8")
    assert write_assistant_files(root) == []
    assert "Use spaces." in (root / "AGENTS.md").read_text("utf-8")
    cursor = (root / ".cursor/rules/bastion-security.mdc").read_text("utf-8")
    assert cursor.startswith("---\n") and "alwaysApply: true" in cursor


def test_assistant_files_replace_only_their_block(tmp_path):
    (tmp_path / "CLAUDE.md").write_text(f"before\n{BEGIN}\nold text\n{END}\nafter\n", "utf-8")
    write_assistant_files(tmp_path, targets=("CLAUDE.md",))
    text = (tmp_path / "CLAUDE.md").read_text("utf-8")
    assert text.startswith("before\n") and text.endswith("after\n") and "old text" not in text
    assert text.count(BEGIN) == 1


def test_assistant_files_never_write_through_symlinks(tmp_path):
    target = tmp_path / "elsewhere.md"
    target.write_text("keep\n", "utf-8")
    project = tmp_path / "p"
    project.mkdir()
    os.symlink(target, project / "AGENTS.md")
    assert "AGENTS.md" not in write_assistant_files(project)
    assert target.read_text("utf-8") == "keep\n"


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=2000), st.sampled_from(["package.json", "pyproject.toml", "requirements.txt"]))
def test_manifest_reading_never_crashes(tmp_path, data, name):
    (tmp_path / name).write_bytes(data)
    profile = profile_repository(tmp_path)
    assert isinstance(profile.packages, set)


def _flask_service(root):
    (root / "requirements.txt").write_text("flask\npsycopg\n", "utf-8")
    (root / "app.py").write_text(
        "import subprocess\nfrom flask import Flask, request\nimport psycopg\n\napp = Flask(__name__)\n\n\n"
        "@app.get('/orders/<int:order_id>')\ndef order(order_id):\n"
        "    with psycopg.connect() as conn:\n"
        "        return conn.execute('SELECT * FROM orders WHERE id = %s', (order_id,)).fetchone()\n\n\n"
        "@app.post('/ping')\ndef ping():\n"
        "    return subprocess.run(['ping', '-c', '1', request.form['host']], capture_output=True).stdout\n", "utf-8")
    return root


def test_instructions_name_the_repositorys_routes_and_its_own_patterns(tmp_path):
    from bastion.prompt.assistant import instructions

    block = instructions(_flask_service(tmp_path))
    assert "`GET /orders/{order_id}` (app.py:" in block and "`POST /ping` (app.py:" in block
    assert "reaches shell" in block and "guarded by nothing" in block
    assert "(Psycopg" in block or "(psycopg" in block.lower()  # the driver's own pattern
    assert "`$1` for pg" not in block and "mysql2" not in block  # no placeholders of drivers it does not use
    assert "Memory safety" not in block  # a theme for C and C++ only


def test_instructions_for_a_c_project_carry_memory_safety(tmp_path):
    from bastion.prompt.assistant import instructions

    (tmp_path / "main.c").write_text("int main(void) { return 0; }\n", "utf-8")
    assert "Memory safety" in instructions(tmp_path)


def test_instructions_for_a_go_service_name_no_python_or_javascript_api(tmp_path):
    from bastion.prompt.assistant import instructions

    (tmp_path / "go.mod").write_text("module example.com/svc\n\ngo 1.22\n", "utf-8")
    (tmp_path / "main.go").write_text(
        'package main\n\nimport (\n\t"net/http"\n\t"os/exec"\n)\n\nfunc ping(w http.ResponseWriter, r *http.Request) {\n'
        '\texec.Command("ping", "-c", "1", r.URL.Query().Get("host")).Run()\n}\n\n'
        'func main() {\n\thttp.HandleFunc("/ping", ping)\n\thttp.ListenAndServe(":8080", nil)\n}\n', "utf-8")
    block = instructions(tmp_path)
    assert "Stack: Go" in block
    for name in ("subprocess", "child_process", "pydantic", "zod", "yaml.safe_load", "secrets.token", "Flask", "Express"):
        assert name not in block, name


def _section_titles(block: str) -> set[str]:
    return {line.split("**")[1] for line in block.splitlines() if line.startswith("- **")}


def test_instructions_follow_the_dependencies_not_the_frameworks_patterns(tmp_path):
    """Express has upload, redirect and session patterns; an app that uses none of them gets no such section,
    and one that declares Flask-Login gets the login themes even when its routes are invisible to the map."""
    from bastion.prompt.assistant import instructions

    api = tmp_path / "api"
    api.mkdir()
    (api / "package.json").write_text(json.dumps({"dependencies": {"express": "^4", "lowdb": "^1", "cors": "^2"}}))
    (api / "server.js").write_text("const express = require('express')\nconst app = express()\n"
                                   "app.get('/db', (req, res) => res.json({}))\n", "utf-8")
    sections = _section_titles(instructions(api))
    assert {"Database access", "Secrets and configuration"} <= sections
    assert not {"File upload", "Redirects", "Sessions and tokens"} & sections
    forum = tmp_path / "forum"
    forum.mkdir()
    (forum / "requirements.txt").write_text("Flask==3.0.0\nFlask-Login==0.6.3\nFlask-Limiter==3.5.0\n", "utf-8")
    (forum / "app.py").write_text("from flask import Flask\napp = Flask(__name__)\n", "utf-8")
    sections = _section_titles(instructions(forum))
    assert {"Authentication and passwords", "Sessions and tokens", "Rate limiting and resource limits"} <= sections


def test_served_scripts_do_not_make_a_python_project_a_javascript_one(tmp_path):
    (tmp_path / "requirements.txt").write_text("flask\n", "utf-8")
    (tmp_path / "app.py").write_text("", "utf-8")
    for folder in ("static/js", "themes/dark/static/js"):
        (tmp_path / folder).mkdir(parents=True)
        for n in range(3):
            (tmp_path / folder / f"s{n}.js").write_text("", "utf-8")
    (tmp_path / "vendor.min.js").write_text("", "utf-8")
    assert profile_repository(tmp_path).languages == ["python"]


def test_every_package_theme_is_a_theme():
    from bastion.prompt.catalog import load_knowledge

    knowledge = load_knowledge()
    assert set(knowledge.package_themes) <= set(knowledge.themes)
    assert all(name == name.lower() for names in knowledge.package_themes.values() for name in names)
