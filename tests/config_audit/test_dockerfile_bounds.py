"""Hostile Dockerfiles cannot stall the parser: dockerfile-parse's regexes on long hostile lines, and our
bounds before it (size, line length, heredoc markers). Each input runs in a subprocess with a generous hang
limit, so a regression shows up as a timeout instead of a stuck suite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bastion.config_audit.dockerfile_text import MAX_BYTES, MAX_LINE

from tests.config_audit.helpers import run, write

SRC = Path(__file__).resolve().parents[2] / "src"
HANG_LIMIT = 120

_LINE = MAX_LINE - 16
HOSTILE = {
    "backslash-space runs": "RUN " + "\\ " * (_LINE // 2) + "x\n",
    "backslashes then spaces": "RUN " + "\\" * (_LINE // 2) + " " * (_LINE // 2 - 8) + "x\n",
    "whitespace only": " \t" * (_LINE // 2) + "\n",
    "one long word": "R" * _LINE + "\n",
    "syntax directive": "# syntax=" + " \t" * (_LINE // 2 - 8) + "x\n",
    "escape directive": "# escape=`\nRUN " + "` " * (_LINE // 2 - 8) + "x\n",
    "comment directive lookalikes": ("#" + " " * 200 + "escape" + " " * 200 + "=\n") * 1000,
    "continuation across the file": "RUN a \\\n" + ("b" * 200 + " \\\n") * ((MAX_BYTES - 64) // 203) + "c\n",
    "heredoc markers": "RUN " + "<<A " * (_LINE // 4 - 4) + "\n" + "A\n" * 1000,
    "unterminated heredocs": ("RUN <<EOF\n" + "x\n" * 100) * 500,
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_dockerfile_parses_in_a_subprocess(name):
    text = HOSTILE[name]
    assert len(text) <= MAX_BYTES and max(map(len, text.splitlines())) <= MAX_LINE
    code = ("import sys\nfrom bastion.config_audit.dockerfile import parse\n"
            "print(len(parse(sys.stdin.read())))\n")
    done = subprocess.run([sys.executable, "-c", code], input=text, capture_output=True, text=True,
                          timeout=HANG_LIMIT, env={"PYTHONPATH": str(SRC)})
    assert done.returncode == 0, done.stderr[-2000:]


def test_oversized_dockerfile_is_a_note(tmp_path):
    rel = write(tmp_path, "Dockerfile", "FROM alpine\n" + "RUN true\n" * (MAX_BYTES // 9 + 1))
    findings, notes = run(tmp_path, rel)
    assert findings == [] and [n.kind for n in notes] == ["error"]
    assert str(MAX_BYTES) in notes[0].message


def test_overlong_line_is_a_note(tmp_path):
    rel = write(tmp_path, "Dockerfile", "FROM alpine\nRUN echo " + "a" * MAX_LINE + "\n")
    findings, notes = run(tmp_path, rel)
    assert findings == [] and [n.kind for n in notes] == ["error"]


def test_form_feeds_do_not_shift_heredoc_lines(tmp_path):
    rel = write(tmp_path, "Dockerfile", "FROM debian:12.5-slim\f# page\nRUN <<EOF\nsudo true\nEOF\nUSER app\n")
    findings, notes = run(tmp_path, rel)
    assert [(f.rule_id, f.location.line) for f in findings] == [("sudo-in-container", 2)]
