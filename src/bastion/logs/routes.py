"""Route templates (``/users/{id}``, Flask ``<int:id>``, Express ``:id``, Next.js ``[id]``) as RE2 patterns."""

from __future__ import annotations

import re2

_HOLE = r"\{[^}/]+\}|<[^>/]+>|:[A-Za-z_]\w*|\[[^\]/]+\]"


def template_pattern(template: str):
    """A pattern matching the concrete paths of ``template`` (one segment per hole, an optional final slash)."""
    parts = re2.split(_HOLE, template)
    return re2.compile("[^/]+".join(re2.escape(p) for p in parts).rstrip("/") + "/?")


def template_regex_text(template: str, escape) -> str:
    """The same as regex text for another engine (fail2ban's Python ``re``), literal parts through ``escape``."""
    return "[^/ ?\"]+".join(escape(p) for p in re2.split(_HOLE, template))
