"""The JavaScript engine's rules, built from their documentation in ``rules.toml``.

Rule ids are shared with the Python engine where the weakness is the same;
the docs here show JavaScript examples.
"""

from __future__ import annotations

import hashlib
import tomllib
from functools import lru_cache
from pathlib import Path

from bastion.model import Confidence, Rule, Severity

ENGINE = "javascript"
_FILE = Path(__file__).with_name("rules.toml")
_REQUIRED = ("title", "severity", "confidence", "cwe", "owasp", "what", "why", "vulnerable", "fixed", "references")


@lru_cache(maxsize=1)
def load_rules() -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for rule_id, doc in tomllib.loads(_FILE.read_text("utf-8")).items():
        missing = [k for k in _REQUIRED if k not in doc]
        if missing:
            raise ValueError(f"javascript rules.toml: rule {rule_id} lacks {', '.join(missing)}")
        rules[rule_id] = Rule(
            id=rule_id,
            title=doc["title"],
            engine=ENGINE,
            severity=Severity.parse(doc["severity"]),
            confidence=Confidence.parse(doc["confidence"]),
            cwe=tuple(doc["cwe"]),
            what=doc["what"].strip(),
            why=doc["why"].strip(),
            vulnerable=doc["vulnerable"].strip() + "\n",
            fixed=doc["fixed"].strip() + "\n",
            languages=("javascript", "typescript"),
            owasp=doc["owasp"],
            references=tuple(doc["references"]),
            fix_guidance=doc.get("fix_guidance", "").strip(),
            tags=tuple(doc.get("tags", ())),
        )
    return rules


def rules_digest() -> str:
    return hashlib.sha256(_FILE.read_bytes()).hexdigest()[:16]
