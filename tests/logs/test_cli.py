"""``bastion logs`` from the command line: exit codes as ``scan``, every report format, clear errors."""

from __future__ import annotations

import json

from bastion.interfaces.cli import main

from tests.logs.support import access, write


def test_exit_codes_follow_fail_on(tmp_path, capsys):
    log = write(tmp_path, "a.log", [access("203.0.113.1", "/p?id=1%20UNION%20SELECT%201--")])
    clean = write(tmp_path, "b.log", [access("203.0.113.1", "/index.html")])
    assert main(["logs", log, "-q"]) == 1
    assert main(["logs", log, "-q", "--fail-on", "critical"]) == 0
    assert main(["logs", clean, "-q"]) == 0


def test_formats_and_outputs(tmp_path, capsys):
    log = write(tmp_path, "a.log", [access("203.0.113.1", "/p?id=1%20UNION%20SELECT%201--")])
    sarif = tmp_path / "out.sarif"
    assert main(["logs", log, "-f", "sarif", "-o", str(sarif)]) == 1
    assert json.loads(sarif.read_text())["runs"][0]["results"][0]["properties"]["attack"] == ["T1190"]
    main(["logs", log, "-f", "markdown"])
    assert "log\\-sql\\-injection" in capsys.readouterr().out  # markdown escapes the dashes


def test_bad_input_is_a_clear_error_not_a_traceback(tmp_path, capsys):
    assert main(["logs", str(tmp_path / "missing.log")]) == 2
    assert main(["logs", "--nginx-conf", str(tmp_path / "nope.conf"), write(tmp_path, "a.log", ["x"])]) == 2
    assert main(["logs", "--trusted-proxy", "not-a-network", write(tmp_path, "b.log", ["x"])]) == 2
    assert main(["logs", "rules"]) == 2
    assert main(["logs", write(tmp_path, "c.log", ["x"]), "--for", "loki"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "no such file" in err and "not an address or network" in err


def test_rules_printed_and_written(tmp_path, capsys):
    assert main(["logs", "rules", "--for", "prometheus"]) == 0
    assert "BastionAttackPayloads" in capsys.readouterr().out
    assert main(["logs", "rules", "--for", "fail2ban", "--output-dir", str(tmp_path), "--login-path", "/api/session",
                 "--access-log", "/srv/log/access.log"]) == 0
    jail = (tmp_path / "jail.d" / "bastion.local").read_text()
    assert "logpath  = /srv/log/access.log" in jail
    assert "/api/session" in (tmp_path / "filter.d" / "bastion-nginx-auth.conf").read_text()
