"""Engine behaviour beyond single fixtures: include confinement, hostile YAML, options, classification."""

from __future__ import annotations

import os

import pytest

from bastion.core.config import ConfigError
from bastion.config_audit import kinds
from bastion.config_audit.yamldoc import YamlError, load_all

from tests.config_audit.helpers import run, source, write

_HEADERS = "".join(f'add_header {h} "x" always;\n' for h in (
    "Strict-Transport-Security", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy",
    "Content-Security-Policy"))
_SERVER = "server {{\n    listen 443 ssl;\n    include {};\n    location / {{ proxy_pass http://app; }}\n}}\n"


def header_rules(findings) -> set[str]:
    return {f.rule_id for f in findings if f.rule_id.startswith("missing-")}


def test_include_inside_root_is_followed(tmp_path):
    write(tmp_path, "deploy/nginx/snippets/headers.conf", _HEADERS)
    rel = write(tmp_path, "deploy/nginx/site.conf", _SERVER.format("/etc/nginx/snippets/headers.conf"))
    findings, notes = run(tmp_path, rel)
    assert header_rules(findings) == set()


def test_include_never_leaves_the_root(tmp_path):
    outside = tmp_path / "outside"
    root = tmp_path / "root"
    write(outside, "headers.conf", _HEADERS)
    os.makedirs(root / "nginx")
    os.symlink(outside / "headers.conf", root / "nginx" / "linked.conf")
    rel = write(root, "nginx/site.conf", _SERVER.format("linked.conf") + _SERVER.format("../outside/headers.conf"))
    findings, notes = run(root, rel)
    assert "missing-hsts" in header_rules(findings)
    assert any("outside" in n.message for n in notes)


def test_include_cycle_terminates(tmp_path):
    write(tmp_path, "nginx/a.conf", "include b.conf;\nserver_tokens on;\n")
    write(tmp_path, "nginx/b.conf", "include a.conf;\nserver { listen 80; return 301 https://$host; }\n")
    findings, _ = run(tmp_path, "nginx/a.conf")
    assert [f.rule_id for f in findings] == ["server-tokens-enabled"]


def test_findings_of_included_files_stay_with_them(tmp_path):
    write(tmp_path, "nginx/snippets/tls.conf", "ssl_protocols TLSv1 TLSv1.2;\n")
    rel = write(tmp_path, "nginx/site.conf", "server { listen 443 ssl; include snippets/tls.conf; return 444; }\n")
    findings, _ = run(tmp_path, rel)
    assert findings == []
    own, _ = run(tmp_path, "nginx/snippets/tls.conf")
    assert [(f.rule_id, f.location.path, f.location.line) for f in own] == [
        ("weak-tls-protocol", "nginx/snippets/tls.conf", 1)]


def test_alias_bomb_is_refused(tmp_path):
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 9) + "]")
    rel = write(tmp_path, "docker-compose.yml", "\n".join(lines) + "\nservices: {}\n")
    findings, notes = run(tmp_path, rel)
    assert findings == [] and notes and "alias" in notes[0].message
    with pytest.raises(YamlError):
        load_all("[" * 2000 + "]" * 2000)


def test_yaml_merge_keys_and_tags_are_data(tmp_path):
    text = ("x-base: &base\n  privileged: true\nservices:\n  app:\n    <<: *base\n    image: app:1\n"
            "    read_only: true\n    mem_limit: 1g\n    cpus: 1\n    labels: !!python/object:os.system [id]\n")
    rel = write(tmp_path, "compose.yaml", text)
    findings, notes = run(tmp_path, rel)
    assert [(f.rule_id, f.location.line) for f in findings] == [("privileged-container", 2)]


def test_helm_templates_are_skipped_not_failed(tmp_path):
    rel = write(tmp_path, "chart/templates/deploy.yaml",
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n")
    findings, notes = run(tmp_path, rel)
    assert findings == [] and [n.kind for n in notes] == ["skipped"]


def test_options_are_validated(tmp_path):
    rel = write(tmp_path, ".github/workflows/ci.yml",
                "on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n"
                "    steps:\n      - uses: my-org/act@v1\n")
    findings, _ = run(tmp_path, rel)
    assert [f.rule_id for f in findings] == ["unpinned-action"]
    findings, _ = run(tmp_path, rel, {"trusted-action-owners": ["actions", "my-org"]})
    assert findings == []
    with pytest.raises(ConfigError, match="config_audit.bogus"):
        run(tmp_path, rel, {"bogus": 1})
    with pytest.raises(ConfigError, match="follow-includes"):
        run(tmp_path, rel, {"follow-includes": "yes"})


@pytest.mark.parametrize("relpath, text, kind", [
    ("Dockerfile", "FROM x\n", kinds.DOCKERFILE),
    ("build/api.Dockerfile", "FROM x\n", kinds.DOCKERFILE),
    ("Containerfile", "FROM x\n", kinds.DOCKERFILE),
    ("Dockerfile.prod", "FROM x\n", kinds.DOCKERFILE),
    ("src/dockerfile.py", "FROM = 1\n", None),
    ("docs/Dockerfile.md", "FROM x\n", None),
    ("docker-compose.prod.yml", "services: {}\n", kinds.COMPOSE),
    ("compose.yaml", "services: {}\n", kinds.COMPOSE),
    ("k8s/app.yaml", "apiVersion: v1\nkind: Pod\n", kinds.KUBERNETES),
    (".github/workflows/ci.yml", "on: push\n", kinds.WORKFLOW),
    ("ci.yml", "on: push\njobs:\n  a: {}\n", kinds.WORKFLOW),
    ("deploy/nginx/site.conf", "server_name x;\n", kinds.NGINX),
    ("site.conf", "server {\n listen 80;\n}\n", kinds.NGINX),
    ("supervisord.conf", "[program:x]\ncommand=y\n", None),
    ("config.yml", "name: x\n", None),
    ("project/settings.py", "DEBUG = True\n", None),  # Python settings belong to the python engine
    ("project/models.py", "class A: pass\n", None),
])
def test_classification(tmp_path, relpath, text, kind):
    write(tmp_path, relpath, text)
    assert kinds.classify(source(tmp_path, relpath)) == kind


def test_rules_are_documented():
    from bastion.config_audit.engine import ALL_RULES

    ids = [r.id for r in ALL_RULES]
    assert len(ids) == len(set(ids))
    for rule in ALL_RULES:
        assert rule.what and rule.why and rule.vulnerable and rule.fixed and rule.cwe and rule.references
        assert rule.owasp and rule.owasp.startswith("A") and ":2021-" in rule.owasp
        assert rule.id == rule.id.lower() and " " not in rule.id


_FRAGMENT = "server {\n    listen 443 ssl;\n    location /login { proxy_pass http://app; }\n}\n"
_MAIN = ("events {{}}\nhttp {{\n    server_tokens off;\n    limit_req_zone $binary_remote_addr zone=l:1m rate=5r/m;\n"
         "    limit_req zone=l;\n    client_max_body_size 16k;\n{}    include /etc/nginx/conf.d/*.conf;\n}}\n")


def test_fragment_inherits_from_the_nginx_conf_that_includes_it(tmp_path):
    write(tmp_path, "deploy/nginx/nginx.conf", _MAIN.format(_HEADERS))
    rel = write(tmp_path, "deploy/nginx/conf.d/app.conf", _FRAGMENT)
    findings, notes = run(tmp_path, rel)
    assert findings == [] and notes == []


def test_fragment_without_includer_uses_nginx_defaults(tmp_path):
    rel = write(tmp_path, "deploy/nginx/conf.d/app.conf", _FRAGMENT)
    findings, _ = run(tmp_path, rel)
    rules = {f.rule_id: f for f in findings}
    assert {"server-tokens-enabled", "missing-rate-limit", "missing-body-size-limit", "missing-hsts"} <= set(rules)
    assert rules["server-tokens-enabled"].confidence.value == "low"


def test_includer_that_does_not_include_the_fragment_is_ignored(tmp_path):
    write(tmp_path, "nginx/nginx.conf", _MAIN.format("").replace("conf.d", "other"))
    rel = write(tmp_path, "nginx/conf.d/app.conf", _FRAGMENT)
    findings, _ = run(tmp_path, rel)
    assert "server-tokens-enabled" in {f.rule_id for f in findings}


def test_includer_settings_are_not_reported_in_the_fragment(tmp_path):
    write(tmp_path, "nginx/nginx.conf", "http {\n    server_tokens on;\n    include conf.d/*.conf;\n}\n")
    rel = write(tmp_path, "nginx/conf.d/app.conf", _FRAGMENT)
    findings, _ = run(tmp_path, rel)
    assert "server-tokens-enabled" not in {f.rule_id for f in findings}
    main, _ = run(tmp_path, "nginx/nginx.conf")
    assert [(f.rule_id, f.location.line) for f in main if f.rule_id == "server-tokens-enabled"] == [
        ("server-tokens-enabled", 2)]
