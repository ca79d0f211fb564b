"""Rendering a hardened prompt as plain text, Markdown or JSON.

Text is what a user pastes into an assistant; Markdown is the same content
for documents and pull requests; JSON carries every part separately (themes,
requirements, patterns, sources) for tools.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bastion.prompt.harden import HardenedPrompt, Section

FORMATS = ("text", "markdown", "json")


def render(prompt: "HardenedPrompt", fmt: str = "text") -> str:
    if fmt == "json":
        return json.dumps(prompt.to_dict(), indent=2, sort_keys=False, ensure_ascii=False) + "\n"
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    md = fmt == "markdown"
    out: list[str] = []

    def heading(title: str) -> None:
        if out and out[-1] != "":
            out.append("")
        out.append(f"## {title}\n" if md else title.upper())

    if md:
        out.extend(["# Task", ""])
    if prompt.persona:
        out.extend([prompt.persona, ""])
    out.append(prompt.task)
    stack = _stack_line(prompt)
    if stack:
        out.append(stack)
    if not prompt.sections:
        out.append("No specific security theme was recognised: validate inputs, handle errors without leaking "
                   "details, and keep secrets out of the code.\n")
    else:
        heading("Security requirements")
        for section in prompt.sections:
            if not section.requirements:
                continue
            out.append(f"{'### ' if md else ''}{_section_title(section)}")
            out.extend(f"- {r}" for r in section.requirements)
            out.append("")
        patterns = [(s, p) for s in prompt.sections for p in s.patterns]
        if patterns:
            heading("Secure patterns to follow")
            for section, pattern in patterns:
                out.append(f"{'### ' if md else ''}{section.title}: {pattern.title}")
                out.extend([f"```{pattern.fence}\n{pattern.code}```", ""])
        avoid = [a for s in prompt.sections for a in s.avoid]
        if avoid:
            heading("Do not")
            out.extend(f"- {a}" for a in avoid)
        if prompt.also_check:
            heading("Also check")
            out.extend(f"- {a}" for a in prompt.also_check)
    if prompt.guidelines:
        heading("Team guidelines")
        for passage in prompt.guidelines:
            where = passage.source + (f" > {passage.heading}" if passage.heading else "") + f" (line {passage.line})"
            out.append(f"- {passage.text}\n  Source: {where}")
    heading("Acceptance checks")
    out.extend(f"- {c}" for c in prompt.checks)
    references = list(dict.fromkeys(r for s in prompt.sections for r in s.references))
    if references:
        heading("References")
        out.extend(f"- {r}" for r in references)
    return "\n".join(out).strip() + "\n"


def _section_title(section: "Section") -> str:
    tags = [f"CWE-{c}" for c in section.cwe]
    return f"{section.title} ({', '.join(tags)})" if tags else section.title


def _stack_line(prompt: "HardenedPrompt") -> str:
    from bastion.prompt.catalog import load_knowledge

    stacks = load_knowledge().stacks
    names = [stacks[s].title for s in (*prompt.stack.frameworks, *prompt.stack.libraries) if s in stacks]
    titles = {"javascript": "JavaScript/TypeScript (Node.js)"}
    languages = [titles.get(lang) or (stacks[lang].title if lang in stacks else lang) for lang in prompt.stack.languages]
    if not languages and not names:
        return ""
    line = "Stack: " + ", ".join(languages + names) + "."
    if prompt.stack.assumptions:
        line += " (" + "; ".join(prompt.stack.assumptions) + ")"
    return line
