"""Bastion as an MCP server: an AI assistant hardens its own prompt and checks its own code.

Built on the official ``mcp`` SDK (MCPServer, stdio transport). Every tool is
a thin face over the public API - :func:`bastion.harden_prompt`,
:func:`bastion.scan`, :func:`bastion.check_packages`, :mod:`bastion.core.rules` - with the limits a server facing
a model needs: inputs bounded in size (declared in each tool's schema, so the
SDK refuses oversized calls before they run), scans bounded in time, paths
confined to the configured root, and secret material kept out of answers.

Settings come from the project (``--root``), not from wherever the assistant
happened to start the process: a snippet is checked with the project's rules,
and packages against the project's registries. Registry lookups are network
traffic, so ``check_packages`` asks the registries only when the server was
started with ``online=True`` (``bastion mcp --online``).
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, Literal

import anyio
import re2
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import BaseModel, Field

from bastion import __version__

MAX_TASK_CHARS = 20_000
MAX_CODE_CHARS = 200_000
MAX_PACKAGES = 200
MAX_FINDINGS = 200
MAX_ENTRY_POINTS = 500
SCAN_TIMEOUT_SECONDS = 60.0
LANGUAGE_FILES = {"python": "snippet.py", "javascript": "snippet.js", "typescript": "snippet.ts", "tsx": "snippet.tsx"}
_SAFE_FILENAME = re2.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")

INSTRUCTIONS = (
    "Bastion checks code for security weaknesses. Before writing code for a task, call harden_prompt with the "
    "task and follow the requirements it returns. After writing code, call scan_code (or scan_path for files "
    "in the project) and fix every finding it reports; call explain_rule for details on a rule. Before adding "
    "a dependency, call check_packages. To review an application, call audit_map for its entry points and the "
    "questions a human reviewer must answer."
)


class PackageSpec(BaseModel):
    """One package to check: its ecosystem (PyPI or npm, any case), name and (optionally) exact version."""

    ecosystem: Annotated[str, Field(min_length=1, max_length=10, description="PyPI or npm (any case)")]
    name: Annotated[str, Field(min_length=1, max_length=214)]
    version: Annotated[str | None, Field(max_length=64)] = None


def _is_secret(finding: Any) -> bool:
    return finding.engine == "secrets" or "secret" in finding.rule_id


def finding_to_answer(finding: Any) -> dict[str, Any]:
    """A finding as the model sees it: where, what, how to fix; never the secret a secrets finding is about."""
    secret = _is_secret(finding)
    return {
        "rule_id": finding.rule_id,
        "title": finding.title,
        "severity": finding.severity.value,
        "confidence": finding.confidence.value,
        "path": finding.location.path,
        "line": finding.location.line,
        "column": finding.location.column,
        "end_line": finding.location.end_line or finding.location.line,
        "message": finding.message,
        "cwe": list(finding.cwe),
        "snippet": "[redacted]" if secret else finding.snippet,
        "fix_guidance": finding.fix_guidance,
        "fix": None if (secret or finding.fix is None) else finding.fix.to_dict(),
    }


def report_to_answer(report: Any) -> dict[str, Any]:
    findings = report.findings
    return {
        "findings": [finding_to_answer(f) for f in findings[:MAX_FINDINGS]],
        "total_findings": len(findings),
        "truncated": len(findings) > MAX_FINDINGS,
        "counts_by_severity": report.counts_by_severity(),
        "notes": [n.message for n in report.notes if n.kind in ("failure", "error", "warning")][:50],
    }


async def _bounded(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Run blocking work in a thread and give up waiting after SCAN_TIMEOUT_SECONDS."""
    try:
        with anyio.fail_after(SCAN_TIMEOUT_SECONDS):
            return await anyio.to_thread.run_sync(lambda: fn(*args, **kwargs), abandon_on_cancel=True)
    except TimeoutError:
        raise ToolError(f"the scan took longer than {SCAN_TIMEOUT_SECONDS:.0f} seconds and was abandoned") from None


def _scan(*args: Any, **kwargs: Any) -> Any:
    import bastion

    try:
        return bastion.scan(*args, jobs=1, use_cache=False, **kwargs)
    except (ValueError, OSError, bastion.ScanError) as exc:
        raise ToolError(f"scan failed: {exc}") from None


def _audit_answer(target: Path, config: Any, with_items: bool) -> dict[str, Any]:
    """The map (and review items) as the tool's answer, bounded to MAX_ENTRY_POINTS entry points; through the
    public API like every other tool, without the SAST scan (the code is only parsed)."""
    import bastion

    if with_items:
        result = bastion.review_map(target, config=config, scan=False)
        app_map, items = result.app_map, result.items
    else:
        app_map, items = bastion.build_map(target, config), []
    answer = app_map.to_dict()
    answer["truncated"] = len(answer["entry_points"]) > MAX_ENTRY_POINTS
    answer["entry_points"] = answer["entry_points"][:MAX_ENTRY_POINTS]
    if with_items:
        answer["review_items"] = [i.to_dict() for i in items[:MAX_FINDINGS]]
    return answer


def _check(specs: list[Any], settings: Any, config: Any) -> Any:
    import bastion

    try:
        return bastion.check_packages(specs, settings=settings, config=config)
    except (ValueError, OSError, bastion.ScanError) as exc:
        raise ToolError(f"check failed: {exc}") from None


def project_config(root: Path) -> Any:
    """The configuration of the project at ``root`` (read per call, so edits apply without a restart)."""
    from bastion.interfaces.api import resolve_config
    from bastion.core.config import ConfigError

    try:
        return resolve_config(root)
    except (ConfigError, OSError) as exc:
        raise ToolError(f"the project's Bastion configuration is invalid: {exc}") from None


def confine(root: Path, path: str) -> Path:
    """``path`` (relative to ``root``, or absolute) resolved, refused if it leaves ``root``."""
    if "\x00" in path:
        raise ToolError("invalid path")
    target = Path(os.path.realpath(root / path))
    if not target.is_relative_to(root):
        raise ToolError(f"{path} is outside the project root this server was started with")
    if not target.exists():
        raise ToolError(f"{path} does not exist")
    return target


def package_answer(finding: Any) -> dict[str, Any]:
    """A finding of ``check_packages`` as the model sees it: about a package, so no file, line or column."""
    answer = {k: v for k, v in finding_to_answer(finding).items() if k not in ("path", "line", "column", "end_line")}
    props = finding.properties
    answer.update(package=props.get("package"), ecosystem=props.get("ecosystem"), version=props.get("version"),
                  purl=finding.location.path,
                  properties={k: v for k, v in props.items() if isinstance(v, (str, int, float, list))})
    return answer


def build_server(root: str | os.PathLike, *, online: bool = False) -> MCPServer:
    """The server with its six tools; ``root`` bounds what scan_path may read and supplies the settings.

    ``online`` lets check_packages ask the package registries whether each
    package and version exists (the deps engine's online checks).
    """
    project = Path(os.path.realpath(root))
    server = MCPServer("bastion", instructions=INSTRUCTIONS, version=__version__, log_level="WARNING")

    @server.tool()
    def harden_prompt(
        task: Annotated[str, Field(min_length=1, max_length=MAX_TASK_CHARS, description="the coding request")],
        language: Annotated[str | None, Field(
            max_length=20, description="python, javascript, typescript, java, go, c or c++")] = None,
        framework: Annotated[str | None, Field(max_length=20, description="flask, django, fastapi or express")] = None,
        persona: bool = False,
    ) -> dict[str, Any]:
        """Restate a coding task with the security requirements, secure patterns and acceptance checks it needs."""
        import bastion

        try:
            hardened = bastion.harden_prompt(task, root=project, persona=persona, language=language,
                                             framework=framework)
        except bastion.ScanError as exc:
            raise ToolError(str(exc)) from None
        return hardened.to_dict()

    @server.tool()
    async def scan_code(
        code: Annotated[str, Field(max_length=MAX_CODE_CHARS, description="the source code to check")],
        filename: Annotated[str | None, Field(max_length=100, description="a file name such as app.py")] = None,
        language: Annotated[Literal["python", "javascript", "typescript", "tsx"] | None,
                            Field(description="used when no filename is given")] = None,
    ) -> dict[str, Any]:
        """Check a code snippet for security weaknesses; returns findings with locations and fixes."""
        if filename is not None:
            name = PurePosixPath(filename.replace("\\", "/")).name
            if not _SAFE_FILENAME.match(name):
                raise ToolError(f"not a plain file name: {filename!r}")
        elif language is not None:
            name = LANGUAGE_FILES[language]
        else:
            raise ToolError("give a filename (such as app.py) or a language")
        report = await _bounded(_scan, stdin_filename=name, stdin_text=code, config=project_config(project))
        return report_to_answer(report)

    @server.tool()
    async def scan_path(
        path: Annotated[str, Field(min_length=1, max_length=1000, description="file or folder inside the project")],
    ) -> dict[str, Any]:
        """Scan a file or folder of the project this server was started for (paths outside it are refused)."""
        target = confine(project, path)
        report = await _bounded(_scan, [str(target)])
        return report_to_answer(report)

    @server.tool()
    async def check_packages(
        packages: Annotated[list[PackageSpec], Field(min_length=1, max_length=MAX_PACKAGES)],
    ) -> dict[str, Any]:
        """Check packages before adding them: known advisories of the given version, lookalike names and, when
        the server runs with --online, names or versions the registry does not know. A bare name (no version)
        is checked by name only."""
        import bastion
        import bastion.core.engines

        if "deps" not in bastion.core.engines.ENGINE_CLASSES:
            raise ToolError("dependency checks are not available in this installation of Bastion")
        specs = [bastion.PackageSpec(p.ecosystem, p.name, p.version) for p in packages]
        settings = bastion.DepsSettings(online=True if online else None)
        report = await _bounded(_check, specs, settings, project_config(project))
        answer = report_to_answer(report)
        answer["findings"] = [package_answer(f) for f in report.findings[:MAX_FINDINGS]]
        return answer

    @server.tool()
    async def audit_map(
        path: Annotated[str, Field(min_length=1, max_length=1000, description="folder inside the project")] = ".",
        review_items: Annotated[bool, Field(description="also raise review items (questions a human must answer)")] = True,
    ) -> dict[str, Any]:
        """The project's entry points (HTTP routes, CLI commands, queue consumers, scheduled jobs) with their inputs,
        guards and the sensitive operations they reach, plus review items; the code is parsed, never run."""
        target = confine(project, path)
        return await _bounded(_audit_answer, target, project_config(project), review_items)

    @server.tool()
    def explain_rule(rule_id: Annotated[str, Field(min_length=1, max_length=100)]) -> dict[str, Any]:
        """Explain a Bastion rule: what it finds, why it matters, vulnerable and fixed examples, references."""
        import bastion.core.rules

        rule = bastion.core.rules.get_rule(rule_id.strip())
        if rule is None:
            known = [r.id for r in bastion.core.rules.all_rules()]
            close = difflib.get_close_matches(rule_id.strip(), known, n=3)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            raise ToolError(f"unknown rule {rule_id!r}{hint}")
        return rule.to_dict() | {"markdown": rule.help_markdown()}

    return server


def serve(root: str | os.PathLike, *, online: bool = False) -> None:
    """Run the server on stdio until the client disconnects."""
    build_server(root, online=online).run("stdio")
