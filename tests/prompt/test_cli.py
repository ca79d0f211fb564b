"""`bastion prompt`: formats, guidelines from flags and config, the review prompt, usage errors."""

from __future__ import annotations

import json

import pytest

from bastion.interfaces.cli import main


def test_text_markdown_json(capsys, tmp_path):
    task = "Create a Node.js endpoint that uploads a user's profile picture."
    assert main(["prompt", task, "--root", str(tmp_path)]) == 0
    assert "SECURITY REQUIREMENTS" in capsys.readouterr().out
    assert main(["prompt", task, "--format", "markdown", "--root", str(tmp_path)]) == 0
    assert "## Security requirements" in capsys.readouterr().out
    assert main(["prompt", task, "--format", "json", "--root", str(tmp_path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["themes"][0]["id"] == "file-upload"


def test_task_from_stdin(capsys, monkeypatch, tmp_path):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("run ffmpeg on the uploaded video"))
    assert main(["prompt", "-", "--format", "json", "--root", str(tmp_path)]) == 0
    ids = [t["id"] for t in json.loads(capsys.readouterr().out)["themes"]]
    assert ids == ["file-upload", "rate-limiting", "shell-commands"]


def test_guidelines_from_config(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "rules.md").write_text("## Shell\n\nNever call ffmpeg directly; use the media worker.\n")
    (tmp_path / "bastion.toml").write_text('[prompt]\nguidelines = "docs"\ntop-k = 1\n', "utf-8")
    assert main(["prompt", "transcode a video with ffmpeg", "--root", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "media worker" in out and "rules.md > Shell" in out


def test_bad_config_key_is_a_usage_error(capsys, tmp_path):
    (tmp_path / "bastion.toml").write_text("[prompt]\nguideline = 'docs'\n", "utf-8")
    assert main(["prompt", "anything", "--root", str(tmp_path)]) == 2
    assert "prompt.guideline" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [
    ["prompt"],
    ["prompt", "   "],
    ["prompt", "x", "--language", "cobol"],
    ["prompt", "x", "--guidelines", "/nonexistent/folder"],
    ["prompt", "x", "--review", "app.py"],
])
def test_usage_errors(argv, capsys):
    assert main(argv) == 2
    assert "bastion: error:" in capsys.readouterr().err


def test_review_prompt_embeds_real_findings(capsys, tmp_path):
    target = tmp_path / "app.py"
    target.write_text("import subprocess\n\ndef run(cmd):\n    return subprocess.run(cmd, shell=True)\n", "utf-8")
    assert main(["prompt", "--review", str(target), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["findings"] and data["findings"][0]["line"] == 4
    assert "Fix exactly these" in data["prompt"] and "bastion scan" in data["prompt"]


def test_review_prompt_for_a_clean_file(capsys, tmp_path):
    target = tmp_path / "ok.py"
    target.write_text("def add(a, b):\n    return a + b\n", "utf-8")
    assert main(["prompt", "--review", str(target)]) == 0
    assert "found no security issue" in capsys.readouterr().out


def test_review_prompt_carries_the_review_maps_entry_points_and_questions(capsys):
    from pathlib import Path

    app = Path(__file__).parent.parent / "fixtures" / "audit" / "review_app"
    assert main(["prompt", "--review", str(app / "api.py"), "--root", str(app), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [e["line"] for e in data["entry_points"]][:3] == [15, 25, 36]
    assert any(e["summary"].startswith("GET /internal/stats -> api.internal_stats") and "guards: no guard" in e["summary"] for e in data["entry_points"])
    assert {q["check"] for q in data["questions"]} == {"header-trust", "file-permissions", "error-exposure", "timing-comparison",
                                                       "user-sized-loop", "user-sized-allocation", "resource-release", "unbounded-body"}
    assert "QUESTIONS TO ANSWER" in data["prompt"] and "X-Forwarded-For" in data["prompt"]
