"""Running the config-audit engine on real files, the way the runner does."""

from __future__ import annotations

from pathlib import Path

from bastion.config_audit.engine import ConfigAuditEngine
from bastion.core.engine_api import FileContext, SourceFile
from bastion.core.model import Finding, Note
from bastion.pipeline.workspace import detect_language

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "config_audit"


def source(root: Path, relpath: str) -> SourceFile:
    path = root / relpath
    data = path.read_bytes()
    return SourceFile(relpath, str(path), detect_language(relpath, data[:128]), data)


def run(root: Path, relpath: str, options: dict | None = None) -> tuple[list[Finding], list[Note]]:
    engine = ConfigAuditEngine()
    file = source(root, relpath)
    if not engine.wants(file):
        return [], []
    results = list(engine.check_file(FileContext(file, options or {})))
    return [r for r in results if isinstance(r, Finding)], [r for r in results if isinstance(r, Note)]


def write(root: Path, relpath: str, text: str) -> str:
    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return relpath
