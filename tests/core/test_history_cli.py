"""`bastion scan --history` through the CLI, on a real repository whose secret was removed from HEAD."""

from __future__ import annotations

import json
import secrets
import string
import subprocess

from bastion.interfaces.cli import main


def git(root, *args):
    subprocess.run(["git", "-C", str(root), "-c", "user.name=Dev", "-c", "user.email=dev@example.com", *args],
                   check=True, capture_output=True)


def test_secret_removed_from_head_is_found_in_history(tmp_path, capsys):
    key_id = "AKIA" + "".join(secrets.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16))
    secret = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(40))
    (tmp_path / "settings.py").write_text(f'AWS_ACCESS_KEY_ID = "{key_id}"\nAWS_SECRET_ACCESS_KEY = "{secret}"\n')
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "add settings")
    (tmp_path / "settings.py").write_text('import os\nAWS_ACCESS_KEY_ID = os.environ["AWS_ACCESS_KEY_ID"]\n')
    git(tmp_path, "commit", "-qam", "read keys from the environment")

    assert main(["scan", str(tmp_path), "--no-cache", "--engine", "secrets", "--fail-on", "never"]) == 0
    assert "No findings" in capsys.readouterr().out

    code = main(["scan", str(tmp_path), "--no-cache", "--engine", "secrets", "--history", "--format", "json"])
    output = capsys.readouterr().out
    assert code == 1
    findings = json.loads(output)["findings"]
    assert findings and all(f["location"]["path"] == "settings.py" for f in findings)
    first = findings[0]["properties"]
    assert first["author"] == "Dev" and len(first["commit"]) == 40
    assert key_id not in output and secret not in output, "secret values must be redacted"

    by_jobs = []
    for jobs in ("1", "2"):
        assert main(["secrets", "history", str(tmp_path), "--format", "json", "--no-progress", "--jobs", jobs]) == 1
        by_jobs.append(json.loads(capsys.readouterr().out)["findings"])
    assert by_jobs[0] == by_jobs[1] and len(by_jobs[0]) == len(findings)


def test_history_outside_a_repository_is_an_error(tmp_path, capsys):
    (tmp_path / "app.py").write_text("x = 1\n")
    assert main(["scan", str(tmp_path), "--no-cache", "--engine", "secrets", "--history", "--no-progress"]) == 2
    assert "--history:" in capsys.readouterr().err
    assert main(["secrets", "history", str(tmp_path), "--no-progress"]) == 2
    assert "is not a git repository" in capsys.readouterr().err


def test_history_report_says_what_it_read(tmp_path, capsys):
    (tmp_path / "app.py").write_text("x = 1\n")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "one")
    main(["scan", str(tmp_path), "--no-cache", "--engine", "secrets", "--history", "--format", "json", "--no-progress"])
    notes = json.loads(capsys.readouterr().out)["notes"]
    assert any(n["message"] == "git history: read 1 commit(s) and 1 blob(s)" for n in notes)
