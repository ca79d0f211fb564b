"""``--source PATH``: signals linked to the code that served them, through the audit map (issue 16).

- a request is matched to its route (``/users/{id}``) and so to the handler's file, line and function;
- a SQL error or traceback names the handler by its innermost application frame;
- the SAST findings of that handler (``bastion scan`` of the tree, Python and JavaScript engines) are
  named beside the incident, and an attack family or SQL error that meets a finding of its own kind
  there is escalated to critical: the weakness is being probed;
- a leak in an application log is paired with the logging call whose literal text the line carries;
- probing is judged against the real routes (paths that exist are worth a look, the rest is a wordlist);
- login and reset routes of the map tune brute-force detection and the generated alert rules.

The tree is hostile: it is parsed, never run; no state is written inside it (the scan runs without cache).
A handler's extent is from its line to the next handler in the same file (the map gives no end line).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import re2

from bastion.logs.incidents import OpenIncident
from bastion.logs.routes import template_pattern

LOGIN_WORDS = re2.compile(r"(?i)log-?in|sign-?in|session|token|auth|password|passwd|reset|otp|2fa|mfa")
#: Which SAST rules a log signal probes.
PROBES = {
    "log-sql-injection": ("sql-injection", "nosql-injection"),
    "log-sql-error": ("sql-injection", "nosql-injection"),
    "log-xss": ("xss", "reflected-xss", "template-injection"),
    "log-path-traversal": ("path-traversal",),
    "log-command-injection": ("command-injection", "code-injection"),
    "log-template-injection": ("template-injection", "code-injection"),
    "log-ssrf": ("ssrf",),
}
_LOG_CALL = re2.compile(r"(?:log(?:ger|ging)?|console|pino|winston|structlog|app\.logger|req\.log|fastify\.log)\s*\.\s*"
                        r"(?:debug|info|warn|warning|error|exception|critical|fatal|log|msg)\s*\(")
_LITERAL = re2.compile(r'"([^"\\]*(?:\\.[^"\\]*)*)"|\'([^\'\\]*(?:\\.[^\'\\]*)*)\'|`([^`]*)`')
_PLACEHOLDER = re2.compile(r"%[-#0-9.]*[sdrifjoOx]|\{[^}]*\}|\$\{")
MIN_PREFIX = 8
_SOURCE_SUFFIXES = (".py", ".js", ".mjs", ".cjs", ".ts", ".tsx", ".jsx")
MAX_SOURCE_BYTES = 2_000_000


@dataclass(frozen=True)
class Route:
    methods: tuple[str, ...]
    template: str
    file: str
    line: int
    function: str
    end_line: int
    pattern: object

    def label(self) -> str:
        return f"{'/'.join(self.methods)} {self.template} -> {self.file}:{self.line} {self.function}"


@dataclass
class SourceLinks:
    root: Path
    routes: list[Route] = field(default_factory=list)
    findings: dict[str, list] = field(default_factory=dict)  # file -> SAST findings
    sources: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # file -> (line, format prefix) of logging calls

    def route_for(self, method: str, path: str) -> Route | None:
        for route in self.routes:
            if (not method or method in route.methods) and route.pattern.fullmatch(path):
                return route
        return None

    def route_at(self, file: str, line: int) -> Route | None:
        """The handler whose extent holds ``file:line`` (a traceback frame; the file may be absolute)."""
        for route in self.routes:
            if (file == route.file or file.endswith("/" + route.file)) and route.line <= line < route.end_line:
                return route
        return None

    def findings_in(self, route: Route) -> list:
        return [f for f in self.findings.get(route.file, []) if route.line <= f.location.line < route.end_line]

    def login_routes(self) -> tuple[str, ...]:
        return tuple(sorted({r.template for r in self.routes if "POST" in r.methods and LOGIN_WORDS.search(r.template)}))

    def logging_call(self, message: str) -> str | None:
        """``file:line`` of the logging call whose format string's constant start begins ``message``."""
        text = message.strip()
        best = None
        for file, calls in self.sources.items():
            for number, prefix in calls:
                if text.startswith(prefix) and (best is None or len(prefix) > best[0]):
                    best = (len(prefix), f"{file}:{number}")
        return best[1] if best else None


def _format_prefixes(line: str) -> list[str]:
    """The constant starts of the string literals on a logging call's line (up to the first placeholder)."""
    out = []
    for match in _LITERAL.finditer(line):
        literal = next((g for g in match.groups() if g is not None), "")
        prefix = _PLACEHOLDER.split(literal, 1)[0].strip()
        if len(prefix) >= MIN_PREFIX:
            out.append(prefix)
    return out


def build(root: str | Path) -> SourceLinks:
    """The links for a source tree: its routes (audit map), its SAST findings, its logging calls."""
    import bastion
    from bastion.core.config import Config
    from bastion.core.model import Severity

    root = Path(root)
    app_map = bastion.build_map(str(root))
    links = SourceLinks(root)
    starts: dict[str, list[int]] = defaultdict(list)
    for entry in app_map.entry_points:
        if entry.kind == "http":
            starts[entry.handler.path].append(entry.handler.line)
    for lines in starts.values():
        lines.sort()
    for entry in app_map.entry_points:
        if entry.kind != "http":
            continue
        following = starts[entry.handler.path]
        index = bisect_right(following, entry.handler.line)
        end = following[index] if index < len(following) else entry.handler.line + 200
        links.routes.append(Route(tuple(entry.methods), entry.path, entry.handler.path, entry.handler.line,
                                  entry.handler.name, end, template_pattern(entry.path)))
    links.routes.sort(key=lambda r: (r.template.count("{"), -len(r.template)))  # literal routes before templated ones
    report = bastion.scan(str(root), engines=["python", "javascript"], use_cache=False,
                          config=Config(min_severity=Severity.LOW, fail_on=None))
    for finding in report.findings:
        links.findings.setdefault(finding.location.path, []).append(finding)
    for path in root.rglob("*"):
        if path.suffix in _SOURCE_SUFFIXES and path.is_file() and not path.is_symlink() and "node_modules" not in path.parts \
                and path.stat().st_size < MAX_SOURCE_BYTES:
            text = path.read_text("utf-8", "replace").splitlines()
            calls = [(n, prefix) for n, line in enumerate(text, 1) if _LOG_CALL.search(line) for prefix in _format_prefixes(line)]
            if calls:
                links.sources[path.relative_to(root).as_posix()] = calls
    return links


def annotate(incident: OpenIncident, links: SourceLinks) -> tuple[dict, bool]:
    """What the code says about an incident (properties for its finding), and whether it is escalated."""
    info: dict = {}
    route = None
    frames = [value for (key, value) in incident.details if key == "frame"]
    requests = [value for (key, value) in incident.details if key == "request"]
    if frames:
        file, _, rest = frames[0].partition(":")
        number = rest.split(" ", 1)[0]
        route = links.route_at(file, int(number)) if number.isdigit() else None
    elif requests:
        method, _, path = requests[0].partition(" ")
        route = links.route_for(method, path.split("?", 1)[0])
    if incident.rule == "log-probing":
        paths = [value for (key, value) in incident.details if key == "path"]
        real = [p for p in paths if links.route_for("", p)]
        info["routes_probed"] = f"{len(real)} of {len(paths)} probed paths are routes of the application"
        if real:
            info["real_routes_probed"] = real[:10]
    escalate = False
    if route is not None:
        info["route"] = route.label()
        found = links.findings_in(route)
        if found:
            info["sast_findings"] = [f"{f.rule_id} at {f.location.path}:{f.location.line}" for f in found[:10]]
        probed = [f for f in found if f.rule_id in PROBES.get(incident.rule, ())]
        if probed:
            info["probed_weakness"] = f"{probed[0].rule_id} at {probed[0].location.path}:{probed[0].location.line}"
            escalate = True
    messages = [value for (key, value) in incident.details if key == "message"]
    if messages and incident.rule in ("log-secret", "log-auth-header", "log-personal-data"):
        call = links.logging_call(messages[0])
        if call:
            info["logging_call"] = call
    return info, escalate
