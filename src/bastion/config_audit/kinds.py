"""Which configuration format a file is, from its name and, where names are ambiguous, its first bytes."""

from __future__ import annotations

import posixpath

import re2

from bastion.core.engine_api import SourceFile

DOCKERFILE, COMPOSE, KUBERNETES, WORKFLOW, NGINX = "dockerfile", "compose", "kubernetes", "workflow", "nginx"

_COMPOSE_NAME = re2.compile(r"^(docker-)?compose([._-][\w.-]*)?\.ya?ml$")
_K8S_MARKERS = re2.compile(r"(?m)^apiVersion:\s*\S")
_K8S_KIND = re2.compile(r"(?m)^kind:\s*\S")
_WORKFLOW_JOBS = re2.compile(r"(?m)^jobs:\s*$")
_WORKFLOW_ON = re2.compile(r"(?m)^(on|\"on\"|'on'|true):")
_NGINX_BLOCK = re2.compile(r"(?m)^\s*(http|server|events|upstream|location)\b[^;{}\n]*\{")
_NGINX_DIRECTIVE = re2.compile(r"(?m)^\s*(ssl_protocols|ssl_ciphers|add_header|proxy_pass|server_tokens|autoindex"
                               r"|listen|server_name|client_max_body_size|limit_req)\s[^\n]*;")
_NGINX_DIRS = ("nginx", "sites-available", "sites-enabled", "conf.d", "snippets")
_SNIFF = 64 * 1024
_NOT_DOCKERFILE_SUFFIXES = (".md", ".txt", ".rst", ".json", ".yml", ".yaml", ".toml", ".sh", ".lock")


def classify(file: SourceFile) -> str | None:
    """The config kind of ``file`` (one of the constants above), or None when it is not a config we audit."""
    path = file.path.lower()
    name = posixpath.basename(path)
    if name in ("dockerfile", "containerfile") or name.endswith(".dockerfile") or (
            name.startswith(("dockerfile.", "containerfile.")) and file.language is None
            and not name.endswith(_NOT_DOCKERFILE_SUFFIXES)):
        return DOCKERFILE
    if name.endswith((".yml", ".yaml")):
        if "/.github/workflows/" in f"/{path}":
            return WORKFLOW
        if _COMPOSE_NAME.match(name):
            return COMPOSE
        head = file.data[:_SNIFF].decode("utf-8", "replace")
        if _K8S_MARKERS.search(head) and _K8S_KIND.search(head):
            return KUBERNETES
        if _WORKFLOW_JOBS.search(head) and _WORKFLOW_ON.search(head):
            return WORKFLOW
        return None
    if name.endswith((".conf", ".nginx")) or name == "nginx.conf" or ("." not in name and any(
            part in _NGINX_DIRS for part in path.split("/")[:-1])):
        head = file.data[:_SNIFF].decode("utf-8", "replace")
        if _NGINX_BLOCK.search(head) or ("nginx" in path and _NGINX_DIRECTIVE.search(head)):
            return NGINX
        if _NGINX_DIRECTIVE.search(head) and any(part in _NGINX_DIRS for part in path.split("/")):
            return NGINX
    return None
