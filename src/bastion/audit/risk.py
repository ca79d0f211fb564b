"""A risk score per entry point, so a reviewer starts at the top: exposure, sensitivity, missing controls, findings.

The score is a sum of named factors (each shown in the report, so a reviewer
can disagree with one), capped at 100. Weights:

- exposure: public HTTP 30, authenticated HTTP 15, queue consumer 12,
  CLI 5, scheduled job 3;
- sensitivity: the most sensitive operation reached (shell,
  deserialization 25; filesystem, outbound HTTP, db-write 15; template,
  session, email, db-read 10; crypto 5) plus 3 per further category;
- missing controls: state-changing without authentication 15, without CSRF
  protection (cookie frameworks) 5;
- review items: high 8, medium 4, low 2 (at most 24);
- SAST findings on the path: critical 12, high 8, medium 4, low 1 (at most 30).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bastion.audit.model import EntryPoint
from bastion.audit.review import ReviewItem
from bastion.core.model import Finding

EXPOSURE = {"public": 30, "authenticated": 15, "queue": 12, "cli": 5, "schedule": 3}
SENSITIVITY = {"shell": 25, "deserialization": 25, "filesystem": 15, "outbound-http": 15, "db-write": 15, "template": 10, "session": 10,
               "email": 10, "db-read": 10, "crypto": 5}
ITEM_POINTS = {"high": 8, "medium": 4, "low": 2}
FINDING_POINTS = {"critical": 12, "high": 8, "medium": 4, "low": 1, "info": 0}
_COOKIE_FRAMEWORKS = frozenset({"flask", "django", "express", "koa"})


@dataclass(frozen=True)
class Risk:
    score: int
    factors: tuple[tuple[str, int], ...]

    @property
    def level(self) -> str:
        return "high" if self.score >= 60 else "medium" if self.score >= 35 else "low"

    def to_dict(self) -> dict[str, Any]:
        return {"score": self.score, "level": self.level, "factors": [{"factor": f, "points": p} for f, p in self.factors]}


def score(entry: EntryPoint, items: list[ReviewItem], findings: list[Finding]) -> Risk:
    factors: list[tuple[str, int]] = []
    kinds = entry.guard_kinds()
    authenticated = bool(kinds & {"authentication", "authorization"})
    if entry.kind == "http":
        factors.append(("authenticated HTTP route" if authenticated else "public HTTP route", EXPOSURE["authenticated" if authenticated else "public"]))
    else:
        factors.append((f"{entry.kind} entry point", EXPOSURE[entry.kind]))
    categories = sorted(entry.categories(), key=lambda c: -SENSITIVITY.get(c, 0))
    if categories:
        factors.append((f"reaches {categories[0]}", SENSITIVITY.get(categories[0], 5)))
        if len(categories) > 1:
            factors.append((f"reaches {len(categories) - 1} more categories", 3 * (len(categories) - 1)))
    if entry.state_changing and not authenticated:
        factors.append(("changes state without authentication", 15))
    if entry.state_changing and entry.framework in _COOKIE_FRAMEWORKS and "csrf" not in kinds and authenticated:
        factors.append(("changes state without CSRF protection", 5))
    item_points = min(24, sum(ITEM_POINTS[i.severity] for i in items))
    if item_points:
        factors.append((f"{len(items)} review item(s)", item_points))
    finding_points = min(30, sum(FINDING_POINTS.get(f.severity.value, 0) for f in findings))
    if finding_points:
        factors.append((f"{len(findings)} SAST finding(s) on the path", finding_points))
    return Risk(min(100, sum(p for _, p in factors)), tuple(factors))
