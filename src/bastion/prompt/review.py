"""A review prompt grounded in tool results: Bastion's actual findings for one file.

Studies of security prompting found that asking a model to "make it more
secure" without evidence makes code worse, while review anchored in concrete
tool output helps. So the prompt lists each finding (rule, line, message,
CWE, how to fix), asks for the smallest change that fixes exactly those, and
asks for nothing else.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bastion.prompt.harden import PERSONA, SCAN_CHECK

_MAX_SNIPPET = 200


@dataclass
class ReviewPrompt:
    path: str
    findings: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)
    persona: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "findings": self.findings, "notes": self.notes, "persona": self.persona,
                "prompt": self.render("text")}

    def render(self, fmt: str = "text") -> str:
        if fmt == "json":
            return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"
        md = fmt == "markdown"
        out = ["# Security review", ""] if md else []
        if self.persona:
            out += [self.persona, ""]
        if not self.findings:
            out.append(f"Bastion found no security issue in `{self.path}`. Do not change the code for security "
                       "reasons without a concrete finding; review by hand only what tools cannot see "
                       "(authorization of each action, business rules, trust boundaries).")
        else:
            out.append(f"Bastion reported {len(self.findings)} security finding(s) in `{self.path}`. Fix exactly "
                       "these with the smallest change that keeps the behaviour; do not rewrite unrelated code.")
            out.append("")
            for number, f in enumerate(self.findings, 1):
                cwe = ", ".join(f"CWE-{c}" for c in f["cwe"])
                out.append(f"{number}. [{f['rule_id']}] line {f['line']}: {f['message']}"
                           + (f" ({cwe})" if cwe else "") + f" - severity {f['severity']}")
                if f["snippet"]:
                    out.append(f"   Code: {f['snippet']}")
                if f["fix"]:
                    out.append(f"   Fix: {f['fix']}")
        out += ["", "## Acceptance" if md else "ACCEPTANCE", f"- {SCAN_CHECK}",
                "- Every numbered finding is gone, and no new one appears."]
        if self.notes:
            out += ["", "Notes from the scan:"] + [f"- {n}" for n in self.notes]
        return "\n".join(out).strip() + "\n"


def review_prompt(path: str | Path, *, persona: bool = False) -> ReviewPrompt:
    """Scan ``path`` with Bastion and build the review prompt from what it found."""
    import bastion

    target = Path(path)
    if not target.is_file():
        raise ValueError(f"not a file: {path}")
    report = bastion.scan([str(target)], jobs=1, use_cache=False)
    findings = [finding_summary(f) for f in report.findings]
    notes = [n.message for n in report.notes if n.kind in ("error", "warning")]
    return ReviewPrompt(str(path), findings, notes, PERSONA if persona else None)


def finding_summary(finding: Any) -> dict[str, Any]:
    """The parts of a finding a model needs, snippet shortened (secret values are already redacted by the engines)."""
    snippet = " ".join((finding.snippet or "").split())
    if finding.engine == "secrets" or "secret" in finding.rule_id:
        snippet = ""  # never echo anything near a secret into a prompt
    return {
        "rule_id": finding.rule_id, "title": finding.title, "message": finding.message,
        "severity": finding.severity.value, "line": finding.location.line, "path": finding.location.path,
        "cwe": list(finding.cwe), "snippet": snippet[:_MAX_SNIPPET],
        "fix": finding.fix_guidance or (finding.fix.description if finding.fix else ""),
    }
