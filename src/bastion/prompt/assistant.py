"""Security instruction files for AI assistants, tailored to the repository and merged, never overwritten.

Each assistant reads its own file (AGENTS.md, CLAUDE.md,
.github/copilot-instructions.md, .cursor/rules/*.mdc). Bastion owns one
marked block in each: re-running replaces that block and leaves every other
line of the file as the team wrote it.
"""

from __future__ import annotations

from pathlib import Path

from bastion.prompt.catalog import load_knowledge
from bastion.prompt.stack import profile_repository

BEGIN = "<!-- bastion:security-instructions:begin -->"
END = "<!-- bastion:security-instructions:end -->"
TARGETS = ("AGENTS.md", "CLAUDE.md", ".github/copilot-instructions.md", ".cursor/rules/bastion-security.mdc")
_CURSOR_HEADER = "---\ndescription: Security requirements for code in this repository (Bastion)\nalwaysApply: true\n---\n"
_MAX_EXISTING = 1024 * 1024


def instructions(root: str | Path) -> str:
    """The instruction block for the repository at ``root``: its stacks, then one line per theme."""
    knowledge = load_knowledge()
    repo = profile_repository(root)
    languages = [lang for lang in repo.languages if lang in ("python", "javascript")] or ["python", "javascript"]
    frameworks = [knowledge.stacks[f].title for f in repo.stacks("framework") + repo.stacks("library")]
    names = {"python": "Python", "javascript": "JavaScript/TypeScript"}
    lines = [
        BEGIN,
        "## Security requirements (maintained by Bastion)",
        "",
        "Stack: " + ", ".join([names[lang] for lang in languages] + frameworks) + ".",
        "",
        "When a task touches one of these areas, meet its requirements without being asked:",
        "",
    ]
    for theme in knowledge.themes.values():
        cwes = ", ".join(f"CWE-{c}" for c in theme.cwe[:2])
        lines.append(f"- **{theme.title}** ({cwes}): {theme.requirements[0]}")
    lines += [
        "",
        "Before writing code for a task, run `bastion prompt \"<task>\"` (or call the `harden_prompt` MCP tool) "
        "and follow the requirements and patterns it prints.",
        "After changing code, run `bastion scan` on the changed files and fix every finding at medium severity or "
        "above; do not make unrelated \"security\" rewrites without a finding to fix.",
        "Never put secrets in code, configuration committed to git, logs or test fixtures.",
        END,
    ]
    return "\n".join(lines) + "\n"


def merge(existing: str, block: str) -> str:
    """Replace Bastion's block in ``existing``, or append it; everything outside the block is kept."""
    start = existing.find(BEGIN)
    end = existing.find(END, start + 1) if start >= 0 else -1
    if start >= 0 and end >= 0:
        return existing[:start] + block.rstrip("\n") + existing[end + len(END):]
    if not existing.strip():
        return block
    return existing.rstrip("\n") + "\n\n" + block


def write_assistant_files(root: str | Path, targets: tuple[str, ...] = TARGETS) -> list[str]:
    """Write or update the instruction files under ``root``; returns the relative paths that changed."""
    base = Path(root).resolve()
    block = instructions(base)
    changed = []
    for relpath in targets:
        path = base / relpath
        if path.is_symlink() or (path.exists() and not path.is_file()):
            continue  # never write through a link or over something that is not a plain file
        existing = ""
        if path.exists():
            if path.stat().st_size > _MAX_EXISTING:
                continue
            existing = path.read_text("utf-8", "replace")
        new = merge(existing, block)
        if relpath.endswith(".mdc") and not new.startswith("---"):
            new = _CURSOR_HEADER + new
        if new != existing:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(new, "utf-8")
            changed.append(relpath)
    return changed
