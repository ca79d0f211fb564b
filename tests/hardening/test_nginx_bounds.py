"""nginx includes are bounded in total, and a blown budget is reported as the budget (issue 14, point 8)."""

from __future__ import annotations

import json
import time

import bastion
from bastion.interfaces.cli import main
from bastion.core.config import Config


def test_a_large_file_included_64_times_is_followed_up_to_the_total_cap(tmp_path, capsys):
    (tmp_path / "big.conf").write_text("location /x { return 200; }\n" * 36_000)  # just under 1 MB
    (tmp_path / "nginx.conf").write_text("http {\n  server {\n    listen 443 ssl;\n    ssl_protocols TLSv1 TLSv1.2;\n"
                                         + "    include big.conf;\n" * 64 + "  }\n}\n")
    (tmp_path / "bastion.toml").write_text("file-memory-mb = 768\nfile-timeout = 600\n")  # the cap, not the clock
    main(["scan", str(tmp_path), "--no-cache", "-j", "1", "--engine", "config_audit", "-f", "json"])
    report = json.loads(capsys.readouterr().out)
    messages = [n["message"] for n in report["notes"]]
    assert any("not followed: the includes of this file exceed 2 MB together" in m for m in messages)
    assert not [m for m in messages if "budget" in m or "failed" in m]
    assert ("nginx.conf", "weak-tls-protocol") in {(f["location"]["path"], f["rule_id"]) for f in report["findings"]}


def test_a_blown_time_budget_is_not_called_a_parse_failure(tmp_path, monkeypatch):
    from bastion.config_audit import nginx_parse

    real = nginx_parse.parse_text

    def slow(text, path):
        time.sleep(5)
        return real(text, path)

    monkeypatch.setattr(nginx_parse, "parse_text", slow)
    (tmp_path / "nginx.conf").write_text("http { server { listen 80; } }\n")
    report = bastion.scan(tmp_path, config=Config(file_timeout=0.5, fail_on=None), engines=["config_audit"],
                          use_cache=False, jobs=1)
    messages = [n.message for n in report.notes]
    assert "nginx.conf: runner analysis exceeded the 0.5s time budget; partial results" in messages
    assert not [m for m in messages if "cannot audit" in m or "failed" in m]
