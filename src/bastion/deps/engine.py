"""The ``deps`` engine: a workspace engine, because a lockfile means nothing without its manifest beside it."""

from __future__ import annotations

import hashlib
from importlib import resources
from typing import Iterable

from bastion.deps.audit import MAX_FILE_BYTES, audit, collect
from bastion.deps.options import parse_options
from bastion.deps.rules import ALL_RULES
from bastion.core.engine_api import WorkspaceContext, WorkspaceEngine
from bastion.core.model import Finding, Note, Rule


class DepsEngine(WorkspaceEngine):
    name = "deps"

    def rules(self) -> list[Rule]:
        return list(ALL_RULES)

    def cache_salt(self) -> str:
        data = resources.files("bastion.deps").joinpath("data")
        digest = hashlib.sha256()
        for name in ("popular-pypi.txt", "popular-npm.txt"):
            digest.update(data.joinpath(name).read_bytes())
        return digest.hexdigest()[:16]

    def check_workspace(self, ctx: WorkspaceContext) -> Iterable[Finding | Note]:
        options = parse_options(ctx.options)
        inventory = collect(ctx.paths, lambda path: ctx.read(path, MAX_FILE_BYTES))
        yield from inventory.notes
        yield from audit(inventory, options)
