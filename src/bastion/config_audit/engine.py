"""The config-audit engine: classify a file, parse it safely, run the checks of its format."""

from __future__ import annotations

from typing import Any, Iterable, Iterator

from bastion.core.config import ConfigError
from bastion.config_audit import actions, container_rules, dockerfile, kinds, nginx, nginx_parse, orchestration
from bastion.config_audit.base import Emitter
from bastion.config_audit.rules import rules_digest
from bastion.config_audit.yamldoc import YamlError, load_all
from bastion.core.engine_api import FileContext, FileEngine, SourceFile
from bastion.core.model import Finding, Note, Rule

ALL_RULES: tuple[Rule, ...] = nginx.RULES + dockerfile.RULES + container_rules.RULES + actions.RULES
_OPTIONS = {"trusted-action-owners", "follow-includes"}


def _options(raw: dict[str, Any]) -> tuple[tuple[str, ...], bool]:
    """Validated engine options: (trusted action owners, whether nginx includes are followed)."""
    for key in raw:
        if key.replace("_", "-") not in _OPTIONS:
            raise ConfigError(f"unknown key 'config_audit.{key}' (valid keys: {', '.join(sorted(_OPTIONS))})")
    normalized = {k.replace("_", "-"): v for k, v in raw.items()}
    owners = normalized.get("trusted-action-owners", ["actions", "github"])
    if not isinstance(owners, list) or not all(isinstance(o, str) for o in owners):
        raise ConfigError(f"'config_audit.trusted-action-owners' must be a list of strings, got {owners!r}")
    follow = normalized.get("follow-includes", True)
    if not isinstance(follow, bool):
        raise ConfigError(f"'config_audit.follow-includes' must be true or false, got {follow!r}")
    return tuple(o.lower() for o in owners), follow


class ConfigAuditEngine(FileEngine):
    """Audits deployment and framework configuration files, one file at a time."""

    name = "config_audit"

    def rules(self) -> list[Rule]:
        return list(ALL_RULES)

    def cache_salt(self) -> str:
        return rules_digest()

    def wants(self, file: SourceFile) -> bool:
        return kinds.classify(file) is not None

    def check_file(self, ctx: FileContext) -> Iterable[Finding | Note]:
        owners, follow = _options(ctx.options)
        file = ctx.file
        kind = kinds.classify(file)
        try:
            if kind == kinds.DOCKERFILE:
                yield from dockerfile.check(Emitter(file, "dockerfile"), dockerfile.parse(file.text))
            elif kind in (kinds.COMPOSE, kinds.KUBERNETES, kinds.WORKFLOW):
                yield from self._yaml(file, kind, owners)
            elif kind == kinds.NGINX:
                yield from self._nginx(ctx, follow)
        except (ValueError, RecursionError) as exc:  # a MemoryError is the runner's to report, as the budget
            yield Note("error", f"cannot audit {kind} file: {exc}", file.path, "parse-error")
        except Exception as exc:  # a checker bug must cost one file, not the scan
            yield Note("failure", f"config audit failed on this {kind} file: {type(exc).__name__}: {exc}", file.path,
                       "internal-error")

    def _yaml(self, file: SourceFile, kind: str, owners: tuple[str, ...]) -> Iterator[Finding | Note]:
        if kind == kinds.KUBERNETES and "{{" in file.text.replace("${{", ""):
            yield Note("skipped", "template, not rendered YAML (render it with helm template first)", file.path,
                       "template")
            return
        try:
            docs = load_all(file.text)
        except YamlError as exc:
            yield Note("error", f"cannot read YAML: {exc}", file.path, "parse-error")
            return
        emit = Emitter(file, "yaml")
        for doc in docs:
            if kind == kinds.WORKFLOW:
                yield from actions.check(emit, doc, owners)
            elif kind == kinds.COMPOSE:
                yield from orchestration.check_compose(emit, doc)
            elif orchestration.is_kubernetes(doc.data) or kind == kinds.KUBERNETES:
                yield from orchestration.check_kubernetes(emit, doc)

    def _nginx(self, ctx: FileContext, follow: bool) -> Iterator[Finding | Note]:
        file = ctx.file
        root = file.root if follow else None
        try:
            tree, problems = nginx_parse.load(file.text, file.path, root, ctx.read_related)
        except nginx_parse.NginxError as exc:
            yield Note("error", str(exc), file.path, "parse-error")
            return
        for problem in problems:
            yield Note("warning", problem, file.path, "include")
        yield from nginx.check(Emitter(file, "nginx"), tree)


