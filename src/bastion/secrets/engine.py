"""The ``secrets`` file engine: every text file of the workspace, matched by the detector catalog."""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable

import pathspec

from bastion.core.engine_api import FileContext, FileEngine, SourceFile
from bastion.core.model import Finding, Note, Rule
from bastion.secrets import catalog, findings, judge, options
from bastion.secrets.rules import RULES
from bastion.secrets.scanner import Settings, scan_bytes, triggered

_BINARY_PROBE = 8192


@lru_cache(maxsize=32)
def _test_spec(patterns: tuple[str, ...]) -> pathspec.PathSpec:
    return pathspec.PathSpec.from_lines("gitignore", patterns)


def as_utf8(data: bytes) -> bytes:
    """UTF-16 files are re-encoded so byte patterns see their text; everything else is scanned as is."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace").encode("utf-8")
    return data


def settings_for(path: str, opts: options.SecretsOptions) -> Settings:
    """Generic matching is off in generated files and strict in test paths; provider formats run everywhere."""
    if not judge.generic_allowed_in(path):
        generic = "off"
    elif _test_spec(opts.test_paths).match_file(path):
        generic = "strict"
    else:
        generic = "full"
    return Settings(disabled=opts.disable_detectors, generic=generic, entropy_threshold=opts.entropy_threshold)


def scan_file(data: bytes, path: str, opts: options.SecretsOptions, language: str | None = None) -> list[Finding]:
    """Findings for one file's bytes: the whole pipeline behind the engine and history scanning."""
    data = as_utf8(data)
    return findings.build(data, path, scan_bytes(data, path, settings_for(path, opts)), opts, language)


def is_binary(data: bytes) -> bool:
    head = data[:_BINARY_PROBE]
    return b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff"))


class SecretsEngine(FileEngine):
    """Claims every text file, whatever its language; binaries are the only files it declines."""

    name = "secrets"

    def rules(self) -> list[Rule]:
        return list(RULES.values())

    def cache_salt(self) -> str:
        return catalog.data_digest()

    def prepare(self, options: dict) -> None:
        """Load the catalog, compile the keyword prefilter and the test-path spec, for workers to inherit."""
        triggered(b"")
        _test_spec(self._options(options).test_paths)

    def wants(self, file: SourceFile) -> bool:
        return not is_binary(file.data)

    def check_file(self, ctx: FileContext) -> Iterable[Finding | Note]:
        return scan_file(ctx.file.data, ctx.file.path, self._options(ctx.options), ctx.file.language)

    def _options(self, raw: dict) -> options.SecretsOptions:
        """Parsed once per options table: a worker passes the same table with every file."""
        if getattr(self, "_parsed_from", None) is not raw:
            self._parsed, self._parsed_from = options.parse(raw), raw
        return self._parsed
