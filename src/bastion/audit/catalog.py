"""Which calls are sensitive operations (``operations.toml``) and which names are controls (guards).

The catalog is data so a reviewer can read it and a user can see why a call
was put in a category; the guard vocabulary is the words frameworks and
teams use for authentication, authorization, CSRF and rate limits.
"""

from __future__ import annotations

import fnmatch
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bastion.sast import ir

CATEGORIES = ("db-read", "db-write", "filesystem", "shell", "outbound-http", "template", "deserialization", "crypto", "session", "email")
_SQL_WRITE = re.compile(r"^\s*(insert|update|delete|replace|merge|create|drop|alter|truncate|grant|upsert)\b", re.IGNORECASE)


@dataclass(frozen=True)
class MethodEntry:
    names: frozenset[str]
    receivers: tuple[str, ...]
    language: str | None


@dataclass(frozen=True)
class Operation:
    category: str
    calls: tuple[str, ...]
    methods: tuple[MethodEntry, ...]


class CatalogError(ValueError):
    """operations.toml is malformed (a packaging defect, never user input)."""


@lru_cache(maxsize=1)
def operations() -> tuple[Operation, ...]:
    data = tomllib.loads((Path(__file__).parent / "operations.toml").read_text("utf-8"))
    out = []
    for entry in data.get("operation", ()):
        category = entry.get("category")
        if category not in CATEGORIES:
            raise CatalogError(f"operations.toml: unknown category {category!r}")
        methods = tuple(MethodEntry(frozenset(m["names"]), tuple(m.get("receivers", ())), m.get("language")) for m in entry.get("methods", ()))
        out.append(Operation(category, tuple(entry.get("calls", ())), methods))
    return tuple(out)


def _call_matches(pattern: str, qual: str) -> bool:
    if pattern.endswith(".*"):
        base = pattern[:-2]
        return qual == base or qual.startswith(base + ".") or fnmatch.fnmatchcase(qual, pattern)
    if "*" in pattern:
        return fnmatch.fnmatchcase(qual, pattern)
    return qual == pattern


def categorize(qual: str | None, receiver_text: str, method: str | None, language: str, call: ir.Call | None = None) -> str | None:
    """The category of a call: by its resolved name, else by method name on a matching receiver; None when not sensitive."""
    clean = _operation_name(qual)
    for op in operations():
        if clean and any(_call_matches(p, clean) for p in op.calls):
            return _refine(op.category, call)
        if method is None:
            continue
        for entry in op.methods:
            if method not in entry.names or (entry.language and entry.language != language):
                continue
            if entry.receivers and not any(_word_in(word, receiver_text) for word in entry.receivers):
                continue
            return _refine(op.category, call)
    return None


#: Constructing one of these is not yet the operation; calling its methods is.
_CLIENT_SUFFIXES = ("Session", "Client", "AsyncClient", "Pool", "Agent", "Connection", "Engine", "ClientSession")


def _operation_name(qual: str | None) -> str | None:
    """The name to look up: ``requests.Session().get`` -> ``requests.Session.get``; None for a client's
    construction and for methods of a call's result (``requests.get().json`` is not a second request)."""
    if not qual:
        return None
    head, sep, _ = qual.partition("()")
    leaf = head.rsplit(".", 1)[-1]
    if sep and qual != head + "()":
        return qual.replace("()", "") if leaf[:1].isupper() else None
    if leaf.endswith(_CLIENT_SUFFIXES):
        return None
    return head


def _word_in(word: str, text: str) -> bool:
    """``session`` in ``db.session`` or ``request.session``; ``User`` in ``User.find``; case-sensitive parts, loose for lower-case words."""
    parts = re.split(r"[.\[\]()]+", text)
    if word[:1].isupper():
        return word in parts
    return any(p == word or p.lower() == word or p.lower().endswith(word) for p in parts if p)


def _refine(category: str, call: ir.Call | None) -> str:
    """A database call running a constant INSERT/UPDATE/DELETE is a write whatever the method is called."""
    if category == "db-read" and call is not None and call.args:
        first = call.args[0]
        if isinstance(first, ir.Const) and isinstance(first.value, str) and _SQL_WRITE.match(first.value):
            return "db-write"
        if isinstance(first, ir.Concat) and first.parts and isinstance(first.parts[0], ir.Const) and _SQL_WRITE.match(str(first.parts[0].value)):
            return "db-write"
    return category


# ----------------------------------------------------------------- guards

_AUTHZ = re.compile(r"(admin|staff|superuser|permission|perm\b|perms|role|scope|owner|authori[sz]|can_|policy|acl|has_access|isAdmin|requireAdmin|ensureAdmin|IsAdmin|access)", re.IGNORECASE)
_AUTHN = re.compile(r"(login|logged|auth|authenticat|jwt|token|session|current_user|currentUser|get_user|getUser|verify|passport|bearer|api_?key|signed_in|requireUser|protect|ensureUser|IsAuthenticated|clerk|getServerSession|withAuth)", re.IGNORECASE)
_RATE = re.compile(r"(rate.?limit|throttl|limiter|brute|slow.?down|^limit$|\.limit$)", re.IGNORECASE)
_CAP = re.compile(r"(limit.?cap|max.?limit|page.?size.?cap|clamp)", re.IGNORECASE)
_PUBLIC = re.compile(r"public|anonymous|allow.?any|optional", re.IGNORECASE)
_CSRF = re.compile(r"csrf|xsrf|csurf", re.IGNORECASE)


def guard_kind(name: str) -> str | None:
    """What a decorator, middleware or dependency named ``name`` is for; None when it is not a control."""
    leaf = name.replace("()", "")
    if _CSRF.search(leaf):
        return "csrf-exempt" if "exempt" in leaf.lower() else "csrf"
    if _RATE.search(leaf):
        return "rate-limit"
    if _CAP.search(leaf):
        return "validation"
    if _PUBLIC.search(leaf) and not re.search(r"auth", leaf, re.IGNORECASE):
        return None  # says the route is public: not a control
    if _AUTHZ.search(leaf):
        return "authorization"
    if _AUTHN.search(leaf):
        return "authentication"
    return None
