"""Small real engines for testing the runner itself (not shipped).

``MarkerEngine`` reports every line containing ``DANGER``; the special
markers make it misbehave the ways real analyses can: loop forever, recurse
without bound, take memory without bound, raise, or kill its own process.
"""

from __future__ import annotations

import os
import time
from typing import Iterable

from bastion.core.engine_api import FileContext, FileEngine, SourceFile, WorkspaceContext, WorkspaceEngine
from bastion.core.model import Confidence, Finding, Fix, Location, Note, Rule, Severity, TextEdit

MARKER_RULE = Rule(
    id="marker", title="Marker found", engine="probe", severity=Severity.HIGH, confidence=Confidence.HIGH,
    cwe=(20,), what="Lines with DANGER.", why="Testing.", vulnerable="DANGER", fixed="safe",
    references=("https://example.invalid/",),
)


class MarkerEngine(FileEngine):
    calls_file = None  # set by tests to count analyses across processes

    def rules(self) -> list[Rule]:
        return [MARKER_RULE]

    def wants(self, file: SourceFile) -> bool:
        return True

    def check_file(self, ctx: FileContext) -> Iterable[Finding | Note]:
        text = ctx.file.text
        if self.calls_file:
            with open(self.calls_file, "a") as handle:
                handle.write(ctx.file.path + "\n")
        if "HANG_FOREVER" in text:
            while True:
                time.sleep(0.01)
        if "RECURSE_FOREVER" in text:
            def down(n: int) -> int:
                return down(n + 1)
            down(0)
        if "RAISE_NOW" in text:
            raise ValueError("probe failure")
        if "EAT_MEMORY" in text:
            hoard = bytearray(8 << 30)  # 8 GiB of address space, never touched
            del hoard
        if "KILL_WORKER" in text:
            os._exit(9)
        for number, line in enumerate(ctx.file.lines, start=1):
            if "DANGER" in line:
                column = line.index("DANGER") + 1
                edit = TextEdit(ctx.file.path, number, column, number, column + len("DANGER"), "SAFE")
                yield MARKER_RULE.finding("danger here", Location(ctx.file.path, number, column), snippet=line,
                                          fix=Fix("replace DANGER with SAFE", (edit,)))
            if "CLASH" in line:  # a second fix over the same text: the two cannot both apply
                edit = TextEdit(ctx.file.path, number, 1, number, len(line) + 1, "pass")
                yield MARKER_RULE.finding("clash here", Location(ctx.file.path, number, 1), snippet=line,
                                          fix=Fix("replace the line with pass", (edit,)))


class CountingWorkspaceEngine(WorkspaceEngine):
    def rules(self) -> list[Rule]:
        return []

    def check_workspace(self, ctx: WorkspaceContext) -> Iterable[Finding | Note]:
        yield Note("info", f"workspace saw {len(ctx.paths)} paths")


IMPORT_RULE = Rule(
    id="imports-danger", title="Imports a dangerous module", engine="probe_project", severity=Severity.HIGH,
    confidence=Confidence.HIGH, cwe=(20,), what="Imports of modules that export DANGER.", why="Testing.",
    vulnerable="import risky", fixed="import safe", references=("https://example.invalid/",),
)


class ImportingEngine(FileEngine):
    """A cross-file probe: a module 'provides' when it says EXPORT_DANGER or imports a provider."""

    calls_file = None

    def rules(self) -> list[Rule]:
        return [IMPORT_RULE]

    def wants(self, file: SourceFile) -> bool:
        return file.path.endswith(".py")

    def _imports(self, ctx: FileContext) -> list[tuple[int, str]]:
        return [(n, line.split()[1]) for n, line in enumerate(ctx.file.lines, 1) if line.startswith("import ")]

    cross_file = True

    def imports(self, ctx: FileContext) -> dict:
        return {"name": ctx.file.path[:-3], "imports": [name for _, name in self._imports(ctx)]}

    def summarize(self, ctx: FileContext) -> dict:
        if self.calls_file:
            with open(self.calls_file, "a") as handle:
                handle.write(f"summarize {ctx.file.path}\n")
        imports = [name for _, name in self._imports(ctx)]
        dangerous = "EXPORT_DANGER" in ctx.file.text or any(
            ctx.summaries.get(name, {}).get("provides") for name in imports)
        return {"name": ctx.file.path[:-3], "imports": imports, "provides": dangerous}

    def check_file(self, ctx: FileContext) -> Iterable[Finding | Note]:
        if self.calls_file:
            with open(self.calls_file, "a") as handle:
                handle.write(f"check {ctx.file.path} {bool(ctx.summaries)}\n")
        for number, name in self._imports(ctx):
            if ctx.summaries.get(name, {}).get("provides"):
                yield IMPORT_RULE.finding(f"{name} is dangerous", Location(ctx.file.path, number),
                                          snippet=ctx.file.line(number))
