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
    entry_points: list[dict[str, Any]] = field(default_factory=list)  # from the review map: what reaches this file
    questions: list[dict[str, Any]] = field(default_factory=list)  # the map's review items in this file

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "findings": self.findings, "notes": self.notes, "persona": self.persona,
                "entry_points": self.entry_points, "questions": self.questions, "prompt": self.render("text")}

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
        if self.entry_points:
            out += ["", "## Entry points in this file" if md else "ENTRY POINTS IN THIS FILE",
                    "Callers reach this code through these entry points (from Bastion's review map):"]
            for entry in self.entry_points:
                out.append(f"- {entry['summary']}")
        if self.questions:
            out += ["", "## Questions to answer" if md else "QUESTIONS TO ANSWER",
                    "Tools cannot decide these; answer each from the application's context, and change the code only "
                    "where the answer shows a flaw:"]
            for number, item in enumerate(self.questions, 1):
                out.append(f"{number}. line {item['line']}: {item['question']} ({', '.join(item['cwe'])})")
        out += ["", "## Acceptance" if md else "ACCEPTANCE", f"- {SCAN_CHECK}",
                "- Every numbered finding is gone, and no new one appears."]
        if self.notes:
            out += ["", "Notes from the scan:"] + [f"- {n}" for n in self.notes]
        return "\n".join(out).strip() + "\n"


def review_prompt(path: str | Path, *, persona: bool = False, root: str | Path | None = None) -> ReviewPrompt:
    """Scan ``path`` with Bastion and build the review prompt from what it found, with the review map's entry points
    and questions for that file (the map of ``root``, the project the file belongs to; its folder by default)."""
    import bastion

    target = Path(path)
    if not target.is_file():
        raise ValueError(f"not a file: {path}")
    report = bastion.scan([str(target)], jobs=1, use_cache=False)
    findings = [finding_summary(f) for f in report.findings]
    notes = [n.message for n in report.notes if n.kind in ("error", "warning")]
    entry_points, questions = map_context(target, Path(root) if root is not None else target.parent)
    return ReviewPrompt(str(path), findings, notes, PERSONA if persona else None, entry_points, questions)


def map_context(target: Path, root: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Entry points whose handler is in ``target``, and the map's review items located there."""
    import bastion

    resolved, base = target.resolve(), root.resolve()
    if not resolved.is_relative_to(base):
        base = resolved.parent
    relpath = resolved.relative_to(base).as_posix()
    result = bastion.review_map(base, scan=False)
    entries = []
    for entry in result.app_map.entry_points:
        if entry.handler.path != relpath:
            continue
        guards = ", ".join(f"{g.kind} ({g.name})" for g in entry.guards) or "no guard"
        inputs = ", ".join(f"{p.name} ({p.location})" for p in entry.params) or "no input"
        reaches = ", ".join(sorted(entry.categories())) or "nothing sensitive"
        label = f"{' '.join(entry.methods)} {entry.path}" if entry.kind == "http" else f"{entry.kind} {entry.path}"
        entries.append({"id": entry.id, "line": entry.handler.line,
                        "summary": f"{label} -> {entry.handler.name} (line {entry.handler.line}); guards: {guards}; inputs: {inputs}; reaches: {reaches}"})
    questions = [{"line": i.evidence[0].location.line, "question": i.question, "cwe": list(i.cwe), "check": i.check}
                 for i in result.items if i.evidence and i.evidence[0].location.path == relpath]
    return sorted(entries, key=lambda e: e["line"]), sorted(questions, key=lambda q: q["line"])


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
