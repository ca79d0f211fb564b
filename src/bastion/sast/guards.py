"""What a failed check proves about a value: the searches and comparisons a branch that leaves rules out.

The models' guards say what a check proves when it *holds* (``re.fullmatch``,
``startswith`` on a normalized path). Engineers as often write the opposite
check and leave when it holds: ``if re.search(r"[;&|`$\\n]", cmd): abort(400)``,
``if (/[^a-z0-9-]/.test(name)) return res.sendStatus(400)``. On the branch
that goes on, the search failed, so every character of its class is absent
from the value. This module turns such a pattern into the set of characters it
proves absent, and that set into the rules it clears, with the models'
``absent`` table (``models/common/checks.toml``) saying which characters each
sink class needs: a check on quotes clears a query, never a shell command.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass, replace
from typing import TYPE_CHECKING, Callable, Sequence

from bastion.sast import ir, regex
from bastion.sast.redos import ALL, REPEATS, C, charset

if TYPE_CHECKING:
    from bastion.sast.models import Models


def absent_chars(pattern: object) -> int:
    """The characters a failed search for ``pattern`` proves absent (a 256-bit set; 0 when it proves nothing).

    Only a pattern that is one character item, possibly repeated at least once
    (``[;&|]``, ``[^\\w.-]+``, ``'``), finds any single offending character; a
    longer pattern (``\\.\\.``, ``;\\s*rm``) proves nothing about single characters.
    """
    parsed = regex.parse(pattern) if isinstance(pattern, str) else None
    if parsed is None or len(parsed) != 1:
        return 0
    op, av = parsed[0]
    if op in REPEATS:
        low, _high, inner = av
        if low < 1 or len(inner) != 1:
            return 0
        op, av = inner[0]
    if op not in (C.LITERAL, C.IN, C.NOT_LITERAL, C.ANY):
        return 0
    bits = charset(op, av)
    return 0 if bits == ALL else bits


def clears_when_absent(bits: int, models: "Models") -> frozenset[str]:
    """Rules cleared for a value none of whose characters is in ``bits``."""
    if not bits:
        return frozenset()
    rules: set[str] = set(regex.chars_clear(ALL & ~bits) or ())
    for chars, clears in models.absent_chars:
        if all(ord(c) < 256 and bits >> ord(c) & 1 for c in chars):
            rules |= clears
    return frozenset(rules)


def clears_without(char: str, models: "Models") -> frozenset[str]:
    """Rules cleared for text that holds no ``char``: what its absence clears as a character, and what the absence
    of every text of the ``absent`` table containing it clears (no ``.`` means no ``..``)."""
    rules = set(clears_when_absent(text_chars(char), models))
    for text, clears in models.absent.items():
        if char in text:
            rules |= clears
    return frozenset(rules)


def truth_test(test: "ir.Expr", truth: bool, nothing: "frozenset[str]" = frozenset()) -> "tuple[ir.Expr, bool] | None":
    """``m is None`` / ``m is not None`` (``=== null``, ``!== undefined``) as the truth of ``m`` itself; None otherwise.

    A search result compared with nothing is how engineers spell "found"
    (``if re.search(p, x) is not None: abort()``); the refinement of ``m`` applies.
    ``nothing``: the names the language gives no value besides the constant None.
    """
    if not isinstance(test, ir.Compare) or len(test.ops) != 1:
        return None
    op, left, right = test.ops[0], test.left, test.comparators[0]
    if op not in ("is", "is not", "==", "!=", "===", "!=="):
        return None
    if _is_nothing(left, nothing):
        left, right = right, left
    if not _is_nothing(right, nothing) or not isinstance(left, ir.Call):
        return None
    return left, truth == (op in ("is not", "!=", "!=="))


def predicate_body(fn: "ir.FunctionDef", args: "Sequence[ir.Expr]", receivers: "frozenset[str]") -> "ir.Expr | None":
    """What ``fn(args)`` tests when ``fn`` is a one-line predicate (``function isValidId(id) { return ID_RE.test(id) }``):
    its returned expression with each parameter replaced by the argument passed; None for any other function."""
    if len(fn.body) != 1 or not isinstance(fn.body[0], ir.Return) or fn.body[0].value is None:
        return None
    params = [p for p in fn.params if p.name not in receivers]
    if any(p.kind != "normal" for p in params) or len(args) > len(params) or any(isinstance(a, ir.Starred) for a in args):
        return None
    return _substituted(fn.body[0].value, {p.name: a for p, a in zip(params, args)})


def _substituted(node: object, names: "dict[str, ir.Expr]") -> object:
    if isinstance(node, ir.Name):
        return names.get(node.id, node)
    if isinstance(node, tuple):
        return tuple(_substituted(item, names) for item in node)
    if isinstance(node, (ir.Lambda, ir.Span)) or not is_dataclass(node):
        return node  # a nested function keeps its own names
    changes = {f.name: _substituted(getattr(node, f.name), names) for f in fields(node)}
    return replace(node, **changes)  # type: ignore[type-var]


def _is_nothing(expr: "ir.Expr", names: "frozenset[str]") -> bool:
    return (isinstance(expr, ir.Const) and expr.value is None) or (isinstance(expr, ir.Name) and expr.id in names)


def vouched(item: "ir.Expr", origin: "Callable[[str], ir.Call | None]", parts: "frozenset[str]") -> "list[ir.Expr]":
    """Everything an allow-list check on ``item`` vouches for, outermost first.

    ``urlparse(url).netloc in HOSTS`` vouches for ``url``; ``parsed.netloc in
    HOSTS`` after ``parsed = urlparse(url)`` for ``parsed`` and ``url`` (the
    parsed object is followed to its call only through the parts of a URL the
    models name, ``url_parts``: a check on ``user.role`` says nothing about
    what ``user`` was loaded with).
    """
    out = [item]
    while True:
        if isinstance(item, ir.Attr) and isinstance(item.obj, ir.Call):
            item = item.obj
        elif isinstance(item, ir.Attr) and isinstance(item.obj, ir.Name) and item.name in parts and origin(item.obj.id) is not None:
            out.append(item.obj)
            item = origin(item.obj.id)  # type: ignore[assignment]
        elif isinstance(item, ir.Call) and item.args and not isinstance(item.func, ir.Attr):
            item = item.args[0]
            out.append(item)
        else:
            return out


def type_tests(left: "ir.Expr", right: "ir.Expr", tests: "dict[tuple[str, str], frozenset[str]]",
               peek: "Callable[[ir.Expr, dict], object]", env: dict) -> "list[tuple[ir.Expr, frozenset[str]]]":
    """``typeof x === 'string'`` found true: ``x`` and the rules its type rules out (the models' ``type-test`` table)."""
    out = []
    for test, other in ((left, right), (right, left)):
        if isinstance(test, ir.UnaryOp) and tests:
            kind = getattr(peek(other, env), "const", None)
            clears = tests.get((test.op, kind)) if isinstance(kind, str) else None
            if clears:
                out.append((test.operand, clears))
    return out



def clears_of_match(pattern: str, anchored_end: bool, models: "Models") -> frozenset[str]:
    """Rules a full match of ``pattern`` clears: its character class (``regex.guard_clears``), and the
    ``absent`` table for every character it cannot consume (``^[\\w./-]+$`` has no quote and no shell
    metacharacter, though it admits a path)."""
    if not anchored_end:
        return frozenset()
    proven = regex.guard_clears(pattern) or frozenset()
    bits = regex.matched_chars(pattern)
    return proven | (clears_when_absent(ALL & ~bits, models) if bits is not None else frozenset())


def text_chars(text: str) -> int:
    """The characters of ``text`` as a 256-bit set (anything beyond Latin-1 in the top bit, like the regex sets)."""
    bits = 0
    for char in text:
        bits |= 1 << min(ord(char), 255)
    return bits


def authenticated(args: "Sequence[ir.Expr]", macs: "dict[str, int]", origin: "Callable[[str], ir.Call | None]",
                  qual_of: "Callable[[ir.Expr], str | None]") -> "list[ir.Expr]":
    """The messages a held MAC comparison authenticates: ``hmac.compare_digest(sig, expected)`` with
    ``expected = hmac.new(KEY, blob, sha256).hexdigest()`` vouches for ``blob`` (followed through names
    and method chains to the MAC call, argument ``macs[call]``)."""
    found = []
    for expr in args:
        for _ in range(8):  # a name, a method chain (.hexdigest()), the MAC call: a short walk
            if isinstance(expr, ir.Name) and origin(expr.id) is not None:
                expr = origin(expr.id)  # type: ignore[assignment]
                continue
            if not isinstance(expr, ir.Call):
                break
            index = macs.get(qual_of(expr.func) or "")
            if index is not None:
                if index < len(expr.args):
                    found.append(expr.args[index])
                break
            if not isinstance(expr.func, ir.Attr):
                break
            expr = expr.func.obj
    return found
