"""A cached result is dropped when another file it read (an nginx include's parent) changes."""

from __future__ import annotations

import bastion
from bastion.core.config import Config

MAIN = """events {}
http {
    server_tokens off;
    add_header Strict-Transport-Security "max-age=63072000" always;
    add_header X-Frame-Options "DENY" always;
    add_header X-Content-Type-Options "nosniff" always;
    add_header Referrer-Policy "no-referrer" always;
    add_header Content-Security-Policy "default-src 'self'" always;
    include conf.d/*.conf;
}
"""
SITE = """server {
    listen 443 ssl;
    server_name shop.example.com;
    ssl_protocols TLSv1.2 TLSv1.3;
    location / { proxy_pass http://127.0.0.1:8000; }
}
"""


def site_findings(root, use_cache: bool) -> set[tuple[str, int]]:
    config = Config(cache_dir=str(root.parent / "cache"), fail_on=None)
    report = bastion.scan(root, config=config, engines=["config_audit"], use_cache=use_cache, jobs=1)
    return {(f.rule_id, f.location.line) for f in report.findings if f.location.path == "nginx/conf.d/site.conf"}


def test_fragment_result_follows_its_including_file(tmp_path):
    root = tmp_path / "repo"
    (root / "nginx" / "conf.d").mkdir(parents=True)
    (root / "nginx" / "nginx.conf").write_text(MAIN)
    (root / "nginx" / "conf.d" / "site.conf").write_text(SITE)
    before = site_findings(root, use_cache=True)
    assert before == site_findings(root, use_cache=False)
    (root / "nginx" / "nginx.conf").write_text(MAIN.replace('    add_header Strict-Transport-Security "max-age=63072000" always;\n', ""))
    after = site_findings(root, use_cache=True)
    assert after == site_findings(root, use_cache=False)
    assert after != before
