"""Security instruction files for AI assistants, tailored to the repository and merged, never overwritten.

Each assistant reads its own file (AGENTS.md, CLAUDE.md,
.github/copilot-instructions.md, .cursor/rules/*.mdc). Bastion owns one
marked block in each: re-running replaces that block and leaves every other
line of the file as the team wrote it.
"""

from __future__ import annotations

from pathlib import Path

from bastion.prompt.budget import short_form
from bastion.prompt.catalog import language_neutral, load_knowledge
from bastion.prompt.stack import profile_repository

BEGIN = "<!-- bastion:security-instructions:begin -->"
END = "<!-- bastion:security-instructions:end -->"
TARGETS = ("AGENTS.md", "CLAUDE.md", ".github/copilot-instructions.md", ".cursor/rules/bastion-security.mdc")
_CURSOR_HEADER = "---\ndescription: Security requirements for code in this repository (Bastion)\nalwaysApply: true\n---\n"
_MAX_EXISTING = 1024 * 1024


#: The themes a sensitive operation of the review map calls for.
REACH_THEMES = {
    "db-read": "database", "db-write": "database", "filesystem": "file-paths", "shell": "shell-commands",
    "outbound-http": "outbound-http", "template": "html-xss", "deserialization": "deserialization",
    "crypto": "cryptography", "session": "sessions-tokens",
}
#: Themes every repository's instructions carry, whatever its routes reach.
ALWAYS = ("secrets-config", "errors-logging", "supply-chain")
MAX_ROUTES = 15


def instructions(root: str | Path) -> str:
    """The instruction block for the repository at ``root``, written for what it really is.

    Its stack (languages, frameworks, libraries from the manifests), its entry points (the review map:
    routes with the operations they reach and the guards they have), and the themes those operations and
    its declared dependencies call for (Flask-Login: logins; multer: uploads), each with the secure pattern
    of the repository's own framework or driver where Bastion has one; the remaining themes are named in one
    line. A framework's patterns alone add nothing: Express has an upload pattern, but an Express app without
    an upload library or route gets no upload section. A theme limited to other languages (memory safety in a
    Python project) is left out.
    """
    knowledge = load_knowledge()
    repo = profile_repository(root)
    languages = repo.languages or ["python", "javascript"]
    stack_ids = repo.stacks("framework") + repo.stacks("library")
    entry_points = _entry_points(Path(root))
    reached = {REACH_THEMES[r.category] for e in entry_points for r in e.reaches if r.category in REACH_THEMES}
    if any(e.kind == "http" and not e.guards for e in entry_points):
        reached.add("authorization")
    reached |= dependency_themes(repo.packages)
    titles = [knowledge.stacks[lang].title if lang in knowledge.stacks else lang for lang in languages]
    lines = [
        BEGIN,
        "## Security requirements (maintained by Bastion)",
        "",
        "Stack: " + ", ".join(titles + [knowledge.stacks[s].title for s in stack_ids]) + ".",
        "",
    ]
    if entry_points:
        lines += ["Entry points (from `bastion audit`; unguarded ones need a deliberate decision):", ""]
        for entry in entry_points[:MAX_ROUTES]:
            lines.append("- " + _entry_line(entry))
        if len(entry_points) > MAX_ROUTES:
            lines.append(f"- ... and {len(entry_points) - MAX_ROUTES} more (`bastion audit` lists them all)")
        lines.append("")
    lines += ["When a task touches one of these areas, meet its requirements without being asked:", ""]
    applicable = [t for t in knowledge.themes.values() if not t.languages or set(t.languages) & set(languages)]
    used = [t for t in applicable if t.id in reached or t.id in ALWAYS]
    neutral = language_neutral(languages)
    for theme in used:
        cwes = ", ".join(f"CWE-{c}" for c in theme.cwe[:2])
        pattern = _own_pattern(theme.id, stack_ids, languages)
        # without a pattern of its own stack, the theme's first rule by its first clause: the full text names
        # drivers and frameworks the repository may not use
        first = (theme.neutral_requirements if neutral else theme.requirements)[0]
        advice = f"{theme.summary} " + (f"Follow: {pattern}." if pattern else short_form(first) + ".")
        lines.append(f"- **{theme.title}** ({cwes}): {advice}")
    others = [t.title for t in applicable if t not in used]
    if others:
        lines += ["", "Also, when a task needs it: " + "; ".join(others) + "."]
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


def dependency_themes(packages: set[str]) -> set[str]:
    """The themes the repository's declared dependencies show it handles (``knowledge/packages.yaml``)."""
    return {theme for theme, names in load_knowledge().package_themes.items() if packages & names}


def _entry_points(root: Path) -> list:
    """The repository's entry points from the review map, riskiest (most sensitive reach, no guard) first."""
    from bastion.audit import build_map

    try:
        entry_points = list(build_map(root).entry_points)
    except (OSError, ValueError):
        return []
    return sorted(entry_points, key=lambda e: (bool(e.guards), -len(e.reaches), e.path or "", e.handler.path))


def _entry_line(entry) -> str:
    where = f"{entry.handler.path}:{entry.handler.line}"
    name = " ".join(entry.methods) + " " + entry.path if entry.kind == "http" else f"{entry.kind} {entry.path or entry.handler.name}"
    reaches = sorted({r.category for r in entry.reaches})
    guards = sorted({g.name for g in entry.guards})
    return (f"`{name.strip()}` ({where}): reaches {', '.join(reaches) or 'nothing sensitive'}; "
            f"guarded by {', '.join(guards) or 'nothing'}")


def _own_pattern(theme_id: str, stack_ids: list[str], languages: list[str]) -> str | None:
    """The title of the secure pattern for ``theme_id`` written for the repository's own library or framework."""
    stacks = load_knowledge().stacks
    for stack_id in stack_ids:
        pattern = stacks[stack_id].patterns.get(theme_id)
        if pattern and stacks[stack_id].language in languages:
            return f"{pattern.title} ({stacks[stack_id].title})"
    return None


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
