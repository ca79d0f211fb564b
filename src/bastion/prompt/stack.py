"""Which language, framework and libraries a task is for: named in it, or used by the repository.

The repository is read the way a scan reads it - regular files only, no
symlinks, bounded sizes and a bounded walk - and only manifests are parsed
(package.json, pyproject.toml, requirements*.txt); source files are counted by
extension, never opened.
"""

from __future__ import annotations

import json
import os
import re2
import stat
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bastion.prompt.catalog import Stack, load_knowledge
from bastion.prompt.text import match_triggers

LANGUAGE_ALIASES = {
    "python": "python", "py": "python", "python3": "python",
    "javascript": "javascript", "js": "javascript", "node": "javascript", "nodejs": "javascript",
    "node.js": "javascript", "typescript": "javascript", "ts": "javascript",
    "java": "java", "go": "go", "golang": "go", "c": "c", "c++": "cpp", "cpp": "cpp",
    "ruby": "ruby", "rb": "ruby", "php": "php", "c#": "csharp", "csharp": "csharp", "cs": "csharp", ".net": "csharp",
    "dotnet": "csharp", "rust": "rust", "rs": "rust", "kotlin": "kotlin", "kt": "kotlin", "swift": "swift",
    "scala": "scala", "elixir": "elixir", "ex": "elixir",
}
_EXTENSIONS = {".py": "python", ".js": "javascript", ".mjs": "javascript", ".cjs": "javascript", ".jsx": "javascript",
               ".ts": "javascript", ".tsx": "javascript", ".mts": "javascript", ".java": "java", ".go": "go",
               ".c": "c", ".h": "c", ".cc": "cpp", ".cpp": "cpp", ".cxx": "cpp", ".hpp": "cpp", ".rb": "ruby",
               ".php": "php", ".cs": "csharp", ".rs": "rust", ".kt": "kotlin", ".swift": "swift", ".scala": "scala",
               ".ex": "elixir", ".exs": "elixir"}
_SKIP_DIRS = {"node_modules", ".git", ".venv", "venv", "__pycache__", "dist", "build", ".tox", "site-packages",
              "vendor", "third_party", ".bastion-cache", ".next", ".mypy_cache", ".pytest_cache"}
#: Folders of files a web app serves as they are (bundled, often minified scripts): they show what the browser
#: runs, not the language the project is written in, so they do not count towards its languages.
_ASSET_DIRS = {"static", "assets", "public", "wwwroot"}
_MAX_ENTRIES = 20_000
_MAX_DEPTH = 4
_MAX_MANIFEST = 1024 * 1024
_REQUIREMENT_NAME = re2.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


@dataclass
class StackChoice:
    """The resolved stack: languages in order of preference, frameworks, libraries and why."""

    languages: list[str] = field(default_factory=list)
    frameworks: list[str] = field(default_factory=list)
    libraries: list[str] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"languages": self.languages, "frameworks": self.frameworks, "libraries": self.libraries,
                "assumptions": self.assumptions}


@dataclass
class RepoProfile:
    """What a repository is made of: languages by file count, and declared package names."""

    languages: list[str] = field(default_factory=list)
    packages: set[str] = field(default_factory=set)

    def stacks(self, kind: str) -> list[str]:
        return [s.id for s in load_knowledge().stacks.values()
                if s.kind == kind and any(p in self.packages for p in s.packages)]


def normalize_language(value: str) -> str:
    """Map a user-given language name to a knowledge language, or raise ValueError."""
    key = value.strip().lower()
    if key not in LANGUAGE_ALIASES:
        raise ValueError(f"unknown language {value!r} (known: python, javascript, typescript, java, go, c, c++, ruby, php, c#, rust, kotlin, swift, scala, elixir)")
    return LANGUAGE_ALIASES[key]


def stacks_named(text: str) -> list[Stack]:
    """Stacks whose names appear in the (normalized) task text.

    A sign weighing under 1 is an idiom the language shares with others (``printf`` is C, but also Go's
    ``fmt.Printf`` and Java's ``printf``): it names its stack only when no stack is named outright."""
    scored = [(s, match_triggers(text, s.triggers)[0]) for s in load_knowledge().stacks.values()]
    strong = [s for s, score in scored if score >= 1]
    return strong or [s for s, score in scored if score > 0]


def profile_repository(root: str | os.PathLike) -> RepoProfile:
    """Languages and dependency names of the project at ``root`` (bounded walk, manifests only)."""
    base = Path(root)
    counts: Counter = Counter()
    packages: set[str] = set()
    seen = 0
    stack = [(base, 0, False)]
    while stack and seen < _MAX_ENTRIES:
        folder, depth, assets = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            seen += 1
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISDIR(info.st_mode):
                if depth < _MAX_DEPTH and entry.name not in _SKIP_DIRS and not entry.name.startswith("."):
                    stack.append((Path(entry.path), depth + 1, assets or entry.name.lower() in _ASSET_DIRS))
            elif stat.S_ISREG(info.st_mode):
                language = _EXTENSIONS.get(os.path.splitext(entry.name)[1].lower())
                if language and not assets and not entry.name.endswith((".min.js", ".bundle.js")):
                    counts[language] += 1
                if info.st_size <= _MAX_MANIFEST:
                    packages |= _manifest_packages(entry.name, Path(entry.path))
    languages = [lang for lang, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    return RepoProfile(languages=languages, packages=packages)


def _manifest_packages(name: str, path: Path) -> set[str]:
    try:
        if name == "package.json":
            data = json.loads(path.read_text("utf-8", "replace"))
            return {str(k).lower() for key in ("dependencies", "devDependencies", "peerDependencies")
                    for k in (data.get(key) or {}) if isinstance(data, dict)}
        if name == "pyproject.toml":
            data = tomllib.loads(path.read_text("utf-8", "replace"))
            project = data.get("project", {})
            specs = list(project.get("dependencies", []))
            for extra in (project.get("optional-dependencies") or {}).values():
                specs.extend(extra)
            names = {_requirement_name(s) for s in specs if isinstance(s, str)}
            poetry = data.get("tool", {}).get("poetry", {}).get("dependencies", {})
            names |= {str(k).lower() for k in poetry}
            return {n for n in names if n}
        if name.startswith("requirements") and name.endswith((".txt", ".in")):
            lines = path.read_text("utf-8", "replace").splitlines()
            return {n for n in (_requirement_name(line) for line in lines if not line.lstrip().startswith(("#", "-"))) if n}
    except (OSError, ValueError, TypeError, AttributeError, tomllib.TOMLDecodeError):
        return set()
    return set()


def _requirement_name(spec: str) -> str:
    found = _REQUIREMENT_NAME.search(spec)
    return found.group(1).lower().replace("_", "-") if found else ""


def choose_stack(text: str, *, language: str | None = None, framework: str | None = None,
                 repo: RepoProfile | None = None, web: bool = False) -> StackChoice:
    """Resolve the stack: explicit arguments, then what the task names, then what the repository uses.

    The request wins over the folder it is run from: the repository is consulted only when the task names
    no language or framework at all, and then only for a stack it uses unambiguously (one main language,
    one framework of it), because a parent folder of several projects would otherwise name them all.
    """
    knowledge = load_knowledge()
    named = stacks_named(text)
    choice = StackChoice()
    if named and not language and not framework:
        repo = None
    if language:
        choice.languages = [normalize_language(language)]
    else:
        mentioned = [s.language for s in named if s.kind in ("language", "framework")]
        choice.languages = list(dict.fromkeys(mentioned))
        if not choice.languages and repo and repo.languages:
            choice.languages = repo.languages[:1]
            choice.assumptions.append(f"language from the repository: {choice.languages[0]}")
    languages = choice.languages or ["python", "javascript"]
    if framework:
        key = framework.strip().lower()
        if key not in knowledge.stacks or knowledge.stacks[key].kind != "framework":
            known = ", ".join(s.id for s in knowledge.stacks.values() if s.kind == "framework")
            raise ValueError(f"unknown framework {framework!r} (known: {known})")
        choice.frameworks = [key]
        if not language:
            choice.languages = [knowledge.stacks[key].language]
            languages = choice.languages
    else:
        choice.frameworks = [s.id for s in named if s.kind == "framework" and s.language in languages]
        if not choice.frameworks and repo:
            frameworks = [f for f in repo.stacks("framework") if knowledge.stacks[f].language in languages]
            choice.frameworks = frameworks if len(frameworks) == 1 else []
            if choice.frameworks:
                choice.assumptions.append(f"framework from the repository: {', '.join(choice.frameworks)}")
    if web and not choice.frameworks and choice.languages == ["javascript"]:
        choice.frameworks = ["express"]
        choice.assumptions.append("Express assumed for a Node.js endpoint (name another framework to change it)")
    libraries = [s.id for s in named if s.kind == "library" and s.language in languages]
    if not libraries and repo:
        libraries = [lib for lib in repo.stacks("library") if knowledge.stacks[lib].language in languages]
    choice.libraries = libraries
    return choice
