"""Untrusted config text never crashes or hangs the engine: every failure is a Note."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from bastion.config_audit.engine import ConfigAuditEngine
from bastion.config_audit.nginx_parse import NginxError, parse_text
from bastion.config_audit.yamldoc import YamlError, load_all
from bastion.core.engine_api import FileContext, SourceFile
from bastion.core.model import Finding, Note

_NGINX_WORDS = st.sampled_from(["server", "{", "}", ";", "listen", "443", "ssl", "add_header", "location", "/x",
                                "alias", "/y/", "include", "*.conf", '"', "'", "#", "\n", "\\", "$arg_x",
                                "proxy_pass", "http://$host", "ssl_protocols", "TLSv1"])
_YAML_WORDS = st.sampled_from(["services:", "\n", "  ", "- ", "&a", "*a", "<<:", "privileged: true", "image: x",
                               "[", "]", "{", "}", "ports:", '"5432:5432"', "!!python/object", "on:", "jobs:",
                               "run: ${{ github.head_ref }}", "apiVersion: v1", "kind: Pod", ":", "? ", "|"])
_NAMES = ["site.conf", "docker-compose.yml", "Dockerfile", "k8s.yaml", ".github/workflows/ci.yml", "settings.py"]


def _check(name: str, data: bytes) -> list:
    file = SourceFile(name, f"/nonexistent/{name}", "python" if name.endswith(".py") else None, data)
    engine = ConfigAuditEngine()
    results = list(engine.check_file(FileContext(file, {}))) if engine.wants(file) else []
    assert all(isinstance(r, (Finding, Note)) for r in results)
    assert not [r for r in results if isinstance(r, Note) and r.reason == "internal-error"], results
    return results


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_NGINX_WORDS, max_size=60).map(" ".join))
def test_nginx_parser_never_crashes(text):
    try:
        parse_text(text, "x.conf")
    except NginxError:
        pass
    _check("site.conf", ("server {\n" + text).encode())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_YAML_WORDS, max_size=60).map("".join))
def test_yaml_loader_never_crashes(text):
    try:
        load_all(text)
    except YamlError:
        pass
    for name in ("docker-compose.yml", "k8s.yaml", ".github/workflows/ci.yml"):
        _check(name, ("apiVersion: v1\nkind: Pod\n" if name == "k8s.yaml" else "") .encode() + text.encode())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(_NAMES), st.binary(max_size=400))
def test_any_bytes_in_any_config_name(name, data):
    _check(name, data)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list("FROM RUN ENV ARG USER ADD COPY EXPOSE \\\n=|&;$\"'curl sh apt-get install"
                                              " pip x:latest 22 .env<-\t")), max_size=300))
def test_dockerfile_text_never_crashes(text):
    _check("Dockerfile", text.encode())
