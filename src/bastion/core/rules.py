"""The rule registry: every rule of every registered engine, with its documentation.

One rule id may be reported by several engines (``sql-injection`` in Python
and JavaScript); each registers its own variant with its own examples, and
:func:`get_rule` returns the first, :func:`rule_variants` all of them.
"""

from __future__ import annotations

from functools import lru_cache

from bastion.core.engines import all_engine_names, load_engine
from bastion.core.model import Confidence, Rule, Severity

#: Rules the core itself reports (about suppressions), not owned by any engine.
CORE_RULES = (
    Rule(
        id="unused-suppression",
        title="Suppression comment that silences nothing",
        engine="core",
        severity=Severity.INFO,
        confidence=Confidence.HIGH,
        cwe=(),
        what="A `bastion: ignore[...]` comment on a line where no finding of the named rules is reported.",
        why="Stale suppressions hide the next real finding on that line; they should be removed once the code is fixed.",
        vulnerable="# bastion: ignore[sql-injection]\nrows = db.execute(\"SELECT 1\")",
        fixed="rows = db.execute(\"SELECT 1\")",
        references=("https://docs.astral.sh/ruff/rules/unused-noqa/",),
        fix_guidance="Delete the comment, or correct the rule id it names.",
    ),
    Rule(
        id="suppression-without-reason",
        title="Suppression comment without a reason",
        engine="core",
        severity=Severity.LOW,
        confidence=Confidence.HIGH,
        cwe=(),
        what="A `bastion: ignore[...]` comment with no `-- reason` when the configuration requires one.",
        why="A reviewer cannot tell an accepted risk from a silenced alarm; the suppression is not honoured.",
        vulnerable="os.system(cmd)  # bastion: ignore[command-injection]",
        fixed="os.system(cmd)  # bastion: ignore[command-injection] -- cmd is a constant from settings",
        fix_guidance="Add ` -- why this is safe` after the closing bracket.",
    ),
)


#: Rules reported outside the file/workspace engines (``bastion dast`` tests a running API), as "module:function".
RUNTIME_RULE_SOURCES = ("bastion.dast.rules:dast_rules",)


def _runtime_rules() -> list[Rule]:
    import importlib

    found = []
    for source in RUNTIME_RULE_SOURCES:
        module, function = source.split(":")
        found.extend(getattr(importlib.import_module(module), function)().values())
    return found


@lru_cache(maxsize=None)
def _registry() -> dict[str, tuple[Rule, ...]]:
    variants: dict[str, list[Rule]] = {}
    for rule in CORE_RULES:
        variants.setdefault(rule.id, []).append(rule)
    for name in all_engine_names():
        for rule in load_engine(name).rules():
            variants.setdefault(rule.id, []).append(rule)
    for rule in _runtime_rules():
        variants.setdefault(rule.id, []).append(rule)
    return {rule_id: tuple(items) for rule_id, items in sorted(variants.items())}


def all_rules() -> list[Rule]:
    """One entry per rule id (the first variant), sorted by id."""
    return [items[0] for items in _registry().values()]


def all_variants() -> list[Rule]:
    return [rule for items in _registry().values() for rule in items]


def get_rule(rule_id: str) -> Rule | None:
    items = _registry().get(rule_id)
    return items[0] if items else None


def rule_variants(rule_id: str) -> tuple[Rule, ...]:
    return _registry().get(rule_id, ())


def ruleset_digest(engines: list | None = None) -> str:
    """Changes whenever a rule's metadata changes: part of the cache key.

    Given the scan's engines, only their rules count, so ``--engine secrets`` loads no other engine.
    """
    import hashlib
    import json

    rules = [r for e in engines for r in e.rules()] if engines is not None else all_variants()
    material = json.dumps([r.to_dict() for r in rules], sort_keys=True)
    return hashlib.sha256(material.encode()).hexdigest()[:16]
