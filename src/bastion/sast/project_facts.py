"""What the project's other modules offer besides functions: their objects and their classes' bases.

Function summaries say what a function does with its parameters; code also
reaches another module through objects: a module-level singleton
(``db = Database()`` in one file, ``db.run(q)`` in another), a class
attribute or an instance field holding one (``Services.database``,
``self.conn``), and classes that extend another module's class. Each module
summary lists these (``objects``, ``bases``) and the importing file's
analysis reads them here, by the qualified names the language's frontend
gives (``app.db.db``, ``./src/db[].pool``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

#: How deep a chain of another module's base classes is followed (``A(B)``, ``B(C)``...).
MAX_BASES = 8


@dataclass
class ProjectFacts:
    """``objects``: the qual of another module's object -> the qual of what it holds (``app.db.db`` ->
    ``app.db.Database()``); ``bases``: another module's class -> its base classes."""

    objects: dict[str, str] = field(default_factory=dict)
    bases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    getters: set[str] = field(default_factory=set)  # names of other modules' methods read as attributes

    def object_of(self, qual: str | None) -> str | None:
        """What ``qual`` names when another module defines it as an object, else None."""
        return self.objects.get(qual) if qual else None

    def ancestors(self, cls: str) -> Iterator[str]:
        """Another module's class's base classes, nearest first, each once."""
        seen = {cls}
        queue = list(self.bases.get(cls, ()))
        while queue and len(seen) <= MAX_BASES:
            base = queue.pop(0)
            if base in seen:
                continue
            seen.add(base)
            yield base
            queue.extend(self.bases.get(base, ()))

    def __bool__(self) -> bool:
        return bool(self.objects or self.bases)
