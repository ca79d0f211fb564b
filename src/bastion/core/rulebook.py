"""Rules built from their documentation in a ``rules.toml``, the same way for every engine.

Docs live in data so that ``bastion rules show``, SARIF help and the docs page
all read the same text, and adding a rule is a table, not code.
"""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path

from bastion.core.model import Confidence, Rule, Severity

REQUIRED = ("title", "severity", "confidence", "cwe", "owasp", "what", "why", "vulnerable", "fixed", "references")


def load(path: Path, engine: str, languages: tuple[str, ...]) -> dict[str, Rule]:
    """Every rule of ``path``; ValueError naming the rule and the missing keys when a doc is incomplete.

    ``languages`` applies to every rule unless its table names its own (the configuration audit's rules
    each cover their own file formats).
    """
    rules: dict[str, Rule] = {}
    for rule_id, doc in tomllib.loads(path.read_text("utf-8")).items():
        missing = [k for k in REQUIRED if k not in doc]
        if missing:
            raise ValueError(f"{engine} rules.toml: rule {rule_id} lacks {', '.join(missing)}")
        rules[rule_id] = Rule(
            id=rule_id,
            title=doc["title"],
            engine=engine,
            severity=Severity.parse(doc["severity"]),
            confidence=Confidence.parse(doc["confidence"]),
            cwe=tuple(doc["cwe"]),
            what=doc["what"].strip(),
            why=doc["why"].strip(),
            vulnerable=doc["vulnerable"].strip() + "\n",
            fixed=doc["fixed"].strip() + "\n",
            languages=tuple(doc.get("languages", languages)),
            owasp=doc["owasp"],
            references=tuple(doc["references"]),
            fix_guidance=doc.get("fix_guidance", "").strip(),
            tags=tuple(doc.get("tags", ())),
            attack=tuple(doc.get("attack", ())),
        )
    return rules


def digest(path: Path) -> str:
    """Part of an engine's cache salt: edited docs change cached findings' texts."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]
