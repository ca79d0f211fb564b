"""Inputs that made one file's analysis quadratic or unbounded (issue 14, point 8), each through `bastion scan`.

No timing assertions: each case asserts what a stalled or cut-off analysis
loses (the budget note appears, the file's findings vanish). The budget is set
low in bastion.toml so a regression fails quickly instead of hanging the suite.
"""

from __future__ import annotations

import json
import random
import string

from bastion.interfaces.cli import main


def _scan(root, capsys, *extra: str) -> dict:
    (root / "bastion.toml").write_text("file-timeout = 10\n")
    code = main(["scan", str(root), "--no-cache", "-f", "json", *extra])
    report = json.loads(capsys.readouterr().out)
    report["code"] = code
    return report


def _budget_notes(report: dict) -> list[str]:
    return [n["message"] for n in report["notes"] if "budget" in n["message"]]


def test_twenty_thousand_comment_lines_parse_in_budget(tmp_path, capsys):
    """The Python grammar's scanner looked ahead over every following comment line at each line end."""
    (tmp_path / "app.py").write_text("import os\n" + "# a comment line\n" * 20_000 + "os.system(input())\n")
    (tmp_path / "deep.py").write_text("def f(cmd):\n    x = 1\n" + "    # indented comment\n" * 20_000
                                      + "    __import__('os').system(input())\n")
    report = _scan(tmp_path, capsys, "--engine", "python")
    assert not _budget_notes(report)
    found = {(f["location"]["path"], f["location"]["line"], f["rule_id"]) for f in report["findings"]}
    assert ("app.py", 20_002, "command-injection") in found


def test_an_over_long_password_value_does_not_restart_byte_by_byte(tmp_path, capsys):
    """270 KB of `password=` made the generic rule rescan the rest of the file from every byte."""
    rng = random.Random(7)
    key_id = "AKIA" + "".join(rng.choice(string.ascii_uppercase + "234567") for _ in range(16))
    secret = "".join(rng.choice(string.ascii_letters + string.digits + "/+") for _ in range(40))
    for name, text in {"a.env": "password=" * 30_000, "b.env": 'x = "' + "password=" * 30_000 + '"',
                       "c.env": "token:" * 45_000}.items():
        (tmp_path / name).write_text(f"{text}\nAWS_ACCESS_KEY_ID={key_id}\nAWS_SECRET_ACCESS_KEY={secret}\n")
    report = _scan(tmp_path, capsys, "--engine", "secrets")
    assert not _budget_notes(report)
    for name in ("a.env", "b.env", "c.env"):
        rules = {f["properties"].get("detector") or f["rule_id"] for f in report["findings"]
                 if f["location"]["path"] == name}
        assert len(rules) >= 1, (name, report["findings"])
        assert [f for f in report["findings"] if f["location"]["path"] == name and f["location"]["line"] == 3]


def test_twenty_thousand_suppression_comments_are_parsed_linearly(tmp_path, capsys, monkeypatch):
    """Each comment-only suppression searched forward over every following comment for its target line."""
    from bastion.pipeline import filters

    calls = {"match": 0}
    real = filters._COMMENT_ONLY

    class Counting:
        def match(self, text):
            calls["match"] += 1
            return real.match(text)

    monkeypatch.setattr(filters, "_COMMENT_ONLY", Counting())
    lines = 20_000
    (tmp_path / "app.py").write_text("import os\n" + "# bastion: ignore[command-injection] -- reviewed\n" * lines
                                     + "os.system(input())\n")
    report = _scan(tmp_path, capsys, "--engine", "python", "--fail-on", "never", "-j", "1")
    assert not _budget_notes(report)
    assert report["summary"]["suppressed"] == 1
    assert calls["match"] <= 3 * (lines + 2)  # a constant number of looks per line, not one per pair of lines


def test_suppression_comments_are_parsed_inside_the_time_budget(tmp_path, monkeypatch):
    """A file whose suppression parsing runs past the budget is cut off with the budget note, like any analysis."""
    import time

    import bastion
    from bastion.pipeline import filters, worker
    from bastion.core.config import Config

    def slow(lines):
        time.sleep(5)
        return []

    monkeypatch.setattr(worker, "parse_suppressions", slow)
    (tmp_path / "app.py").write_text("x = 1  # bastion: ignore\n")
    report = bastion.scan(tmp_path, config=Config(file_timeout=0.5, fail_on=None), engines=["python"], use_cache=False,
                          jobs=1)
    assert any("app.py: runner analysis exceeded the 0.5s time budget" in n.message for n in report.notes)
    assert filters.parse_suppressions(["x = 1  # bastion: ignore"])  # the real parser is untouched
