"""History scanning on real git repositories made in temp dirs: attribution, HEAD state, bare, shallow, safety."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from bastion.core.model import Finding, Note
from bastion.secrets import scan_history
from tests.secrets.conftest import sample_of


def git(repo: Path, *args: str, env: dict | None = None) -> str:
    full_env = {**os.environ, "GIT_AUTHOR_NAME": "Ada", "GIT_AUTHOR_EMAIL": "ada@example.org",
                "GIT_COMMITTER_NAME": "Ada", "GIT_COMMITTER_EMAIL": "ada@example.org", **(env or {})}
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=full_env).stdout


def commit(repo: Path, files: dict[str, str], message: str, date: str) -> str:
    for name, text in files.items():
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, env={"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date})
    return git(repo, "rev-parse", "HEAD").strip()


@pytest.fixture
def repo(tmp_path: Path, rng):
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    leaked = sample_of("stripe-secret-key", rng)
    kept = sample_of("github-pat", rng)
    c1 = commit(root, {"README.md": "hello\n"}, "init", "2024-01-01T10:00:00+00:00")
    c2 = commit(root, {"billing.py": f'KEY = "{leaked}"\n', "ci.env": f"GH={kept}\n"}, "add billing", "2024-02-01T10:00:00+00:00")
    commit(root, {"billing.py": f'KEY = "{leaked}"\nX = 1\n'}, "edit billing", "2024-03-01T10:00:00+00:00")
    commit(root, {"billing.py": 'import os\nKEY = os.environ["STRIPE_KEY"]\n'}, "remove key", "2024-04-01T10:00:00+00:00")
    return root, {"c1": c1, "c2": c2, "leaked": leaked, "kept": kept}


def findings_of(results) -> dict[str, Finding]:
    return {f.properties["detector"]: f for f in results if isinstance(f, Finding)}


def test_first_appearance_and_head_state(repo) -> None:
    root, info = repo
    calls = []
    results = scan_history(str(root), {}, progress=lambda done, total: calls.append((done, total)))
    found = findings_of(results)
    assert set(found) == {"stripe-secret-key", "github-pat"}
    stripe = found["stripe-secret-key"]
    assert stripe.properties["commit"] == info["c2"] and stripe.properties["author"] == "Ada"
    assert stripe.properties["date"].startswith("2024-02-01") and stripe.location.path == "billing.py"
    assert stripe.properties["in_head"] is False and stripe.properties["blobs"] == 2
    assert found["github-pat"].properties["in_head"] is True
    assert info["leaked"] not in stripe.message + stripe.snippet
    assert calls and calls[-1][0] == calls[-1][1]


def test_every_blob_scanned_once_across_branches(repo, rng) -> None:
    root, _ = repo
    git(root, "checkout", "-q", "-b", "feature")
    token = sample_of("slack-bot-token", rng)
    commit(root, {"notify.py": f'SLACK = "{token}"\n'}, "feature", "2024-05-01T10:00:00+00:00")
    git(root, "checkout", "-q", "main")
    found = findings_of(scan_history(str(root), {}))
    assert "slack-bot-token" in found and found["slack-bot-token"].properties["in_head"] is False


def test_bare_and_shallow_clones(repo, tmp_path: Path) -> None:
    root, info = repo
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(root), str(bare)], check=True)
    assert set(findings_of(scan_history(str(bare), {}))) == {"stripe-secret-key", "github-pat"}
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{root}", str(shallow)], check=True)
    results = scan_history(str(shallow), {})
    assert set(findings_of(results)) == {"github-pat"}
    assert any(isinstance(n, Note) and n.reason == "shallow" for n in results)


def test_repository_hooks_and_config_never_run(repo, tmp_path: Path) -> None:
    root, _ = repo
    marker = tmp_path / "ran"
    hook = root / ".git" / "hooks" / "post-checkout"
    hook.write_text(f"#!/bin/sh\ntouch {marker}\n")
    hook.chmod(0o755)
    script = tmp_path / "evil.sh"
    script.write_text(f"#!/bin/sh\ntouch {marker}\n")
    script.chmod(0o755)
    git(root, "config", "core.fsmonitor", str(script))
    git(root, "config", "core.pager", str(script))
    git(root, "config", "core.hooksPath", str(root / ".git" / "hooks"))
    (root / ".gitattributes").write_text("*.py filter=evil diff=evil\n")
    git(root, "config", "filter.evil.smudge", str(script))
    git(root, "config", "filter.evil.clean", str(script))
    git(root, "config", "diff.evil.textconv", str(script))
    assert findings_of(scan_history(str(root), {}))
    assert not marker.exists()


def test_not_a_repository_is_an_error_and_an_empty_repository_reads_nothing(tmp_path: Path) -> None:
    from bastion.secrets.history import HistoryError

    with pytest.raises(HistoryError, match="not a git repository"):
        scan_history(str(tmp_path), {})
    empty = tmp_path / "empty"
    empty.mkdir()
    git(empty, "init", "-q")
    [summary] = scan_history(str(empty), {})
    assert summary.reason == "history" and "0 commit(s) and 0 blob(s)" in summary.message


def test_summary_counts_commits_and_blobs_and_missing_blobs_are_counted(repo) -> None:
    root, _ = repo
    results = scan_history(str(root), {})
    [summary] = [n for n in results if isinstance(n, Note) and n.reason == "history"]
    assert "read 4 commit(s) and 5 blob(s)" in summary.message  # README, billing.py x3, ci.env
    blob = git(root, "rev-parse", "HEAD:README.md").strip()
    (root / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    results = scan_history(str(root), {})
    [missing] = [n for n in results if isinstance(n, Note) and n.reason == "missing-objects"]
    assert missing.message.startswith("1 blob(s)") and findings_of(results)
    assert "read 4 commit(s) and 4 blob(s)" in next(n.message for n in results if isinstance(n, Note) and n.reason == "history")


def test_a_history_git_cannot_read_is_an_error(repo) -> None:
    from bastion.secrets.history import HistoryError

    root, info = repo
    tree = git(root, "rev-parse", f"{info['c2']}^{{tree}}").strip()
    (root / ".git" / "objects" / tree[:2] / tree[2:]).unlink()
    with pytest.raises(HistoryError, match="cannot read the history"):
        scan_history(str(root), {})


def test_large_blobs_are_skipped_with_a_note(repo) -> None:
    root, _ = repo
    commit(root, {"big.txt": "a" * 5000}, "big", "2024-06-01T10:00:00+00:00")
    results = scan_history(str(root), {"history_max_blob_size": 1000})
    assert any(isinstance(n, Note) and n.reason == "too-large" for n in results)


def test_cli_history_json_and_detectors(repo, capsys) -> None:
    from bastion.interfaces.cli import main

    root, info = repo
    assert main(["secrets", "history", str(root), "--format", "json", "--no-progress"]) == 1
    out = capsys.readouterr().out
    data = __import__("json").loads(out)
    assert {f["properties"]["detector"] for f in data["findings"]} == {"stripe-secret-key", "github-pat"}
    assert info["leaked"] not in out and info["kept"] not in out
    assert main(["secrets", "detectors"]) == 0
    assert "github-pat" in capsys.readouterr().out
    assert main(["secrets", "history", str(root / "nope")]) == 2


def _scan_summary(root: Path, jobs: int) -> tuple[dict, list[tuple[int, int]]]:
    from bastion.secrets import history

    calls: list[tuple[int, int]] = []
    results = history.scan_history(str(root), {}, progress=lambda done, total: calls.append((done, total)), jobs=jobs)
    summary = {f.properties["detector"]: (f.properties["commit"], f.location.path, f.properties["in_head"],
                                          f.properties["blobs"]) for f in results if isinstance(f, Finding)}
    return summary, calls


def test_worker_processes_attribute_like_one_process(repo, rng, monkeypatch) -> None:
    """Batches of two blobs each, scanned by two workers: the same first commits, HEAD states and counts."""
    from bastion.secrets import history

    root, info = repo
    token = sample_of("slack-bot-token", rng)
    for n in range(6):  # the token lives on in later blobs of the file, spread over many batches
        commit(root, {f"notes/{n}.txt": f"note {n}\n", "notify.py": f'SLACK = "{token}"\n' + "# edit\n" * n},
               f"edit {n}", f"2024-05-0{n + 1}T10:00:00+00:00")
    here, here_calls = _scan_summary(root, jobs=1)
    monkeypatch.setattr(history, "_BATCH_BLOBS", 2)
    pooled, pooled_calls = _scan_summary(root, jobs=2)
    assert pooled == here
    assert here["stripe-secret-key"][:3] == (info["c2"], "billing.py", False)
    assert here["slack-bot-token"][2:] == (True, 6)
    for calls in (here_calls, pooled_calls):
        done = [d for d, _ in calls]
        assert done == sorted(done) and calls[-1][0] == calls[-1][1] == here_calls[-1][1]
    assert len(pooled_calls) < len(here_calls)  # one step per batch, not per blob


def test_small_histories_stay_in_one_process_unless_asked() -> None:
    from bastion.secrets.history import _jobs

    assert _jobs(None, 1 << 20) == 1
    assert _jobs(3, 1 << 20) == 3 and _jobs(0, 1 << 30) == 1
